"""What a Scenario with runtime `processes` must satisfy, checked when it is made.

Nothing here imports gRPC or a Linux-only module before the platform is known to be
Linux, so `Scenario(runtime="processes")` fails with a plain sentence everywhere else.
"""
from lessons.runtime.processes import check_platform
from lessons.story.shim import Design

from .by_name import importable

PIPED_KNOBS = ("channel_capacity", "c_buffer_capacity", "stream_window")


def check(scenario):
    """ValueError naming the knob, for what the processes runtime cannot run."""
    check_platform()
    from lessons.primitives.pipes import check_capacity   # Linux only: after the check
    for knob in PIPED_KNOBS:
        check_capacity(knob, getattr(scenario, knob))
    design = scenario.shim_design
    if type(design) is not Design:
        raise ValueError(f"design: the processes runtime runs a Design (the shim's process "
                         f"rebuilds it from its parts' names), not a {type(design).__name__}")
    for fn in (design.requests_goroutine, design.main_goroutine):
        if not importable(fn):
            raise ValueError(
                f"design: the processes runtime starts the shim in a process of its own, "
                f"which imports the design's functions by name; {fn.__qualname__} lives in "
                f"{fn.__module__}, which that process cannot import: put it in a module file")
