"""What a Scenario with runtime `processes` must satisfy, checked when it is made.

Nothing here imports gRPC or a Linux-only module before the platform is known to be
Linux, so `Scenario(runtime="processes")` fails with a plain sentence everywhere else.
"""
import importlib

from lessons.runtime.processes import check_platform

PIPED_KNOBS = ("channel_capacity", "c_buffer_capacity", "stream_window")


def check(scenario):
    """ValueError naming the knob, for what the processes runtime cannot run."""
    check_platform()
    from lessons.primitives.pipes import check_capacity   # Linux only: after the check
    for knob in PIPED_KNOBS:
        check_capacity(knob, getattr(scenario, knob))
    design = scenario.shim_design
    for fn in (design.requests_goroutine, design.main_goroutine):
        if not importable(fn):
            raise ValueError(
                f"design: the processes runtime starts the shim in a process of its own, "
                f"which imports the design's functions by name; {fn.__qualname__} lives in "
                f"{fn.__module__}, which that process cannot import: put it in a module file")


def importable(fn):
    """Can another process find `fn` by its module and name?"""
    if fn.__module__ == "__main__" or "<locals>" in fn.__qualname__:
        return False
    try:
        found = importlib.import_module(fn.__module__)
        for part in fn.__qualname__.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return False
    return found is fn
