"""How a run's processes learn its design (and so its Scenario): by name, never pickled.

A course design travels as its name in the designs registry (lessons/story/designs.py).
A design of your own travels as the names of its two functions (module and qualified
name) and its engine_caller; the shim's process imports them, as `python -m` imports a
module by name. The names come from the run's config file, which only the learner can
read or write (private.py).
"""
import importlib

from lessons.story.designs import DESIGNS
from lessons.story.shim import Design

PARTS = ("requests_goroutine", "main_goroutine")


def importable(fn):
    """Can another process find `fn` by its module and name?"""
    if fn.__module__ == "__main__" or "<locals>" in fn.__qualname__:
        return False
    try:
        return find(f"{fn.__module__}:{fn.__qualname__}") is fn
    except (ImportError, AttributeError):
        return False


def find(name):
    """The object `module:qualified.name` names."""
    module, _, qualname = name.partition(":")
    found = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def reference(design):
    """`design` as JSON-ready names: the registry's name, or its parts' names."""
    for name, known in DESIGNS.items():
        if design is known:
            return {"registry": name}
    ref = {"name": design.name, "engine_caller": design.engine_caller}
    ref.update({part: f"{getattr(design, part).__module__}:{getattr(design, part).__qualname__}"
                for part in PARTS})
    return ref


def knobs(scenario):
    """`scenario`'s knobs as JSON-ready values, its design as a `reference`: what a
    process of the run rebuilds the Scenario from (child.py)."""
    return {**scenario.to_dict(), "design": reference(scenario.shim_design)}


def resolve(ref):
    """The Design a reference names (in the shim's process)."""
    if "registry" in ref:
        return DESIGNS[ref["registry"]]
    parts = {part: find(ref[part]) for part in PARTS}
    if not all(callable(fn) for fn in parts.values()):
        raise ValueError(f"design {ref['name']!r}: {', '.join(PARTS)} must be functions")
    return Design(ref["name"], engine_caller=ref["engine_caller"], **parts)
