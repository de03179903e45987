"""The search's bounds: one table, checked the same way by `explore()` and by the CLIs.

Memory grows with the states kept (about 4 KB each, measured on a 12-philosopher table:
100,000 states peaked at 375 MB), so the default fits a class hub's kernel and the
largest allowed stays under about 1.5 GB.
"""
from lessons.runtime.schedule import MAX_MOVES
from lessons.story.knobs import Knob

BOUNDS = {k.name: k for k in (
    Knob("max_states", int, 1, 400_000, help="stop after this many distinct states"),
    Knob("max_depth", int, 1, MAX_MOVES, help="do not follow a schedule past this many moves"),
    Knob("max_seconds", float, 0.001, 3600, help="stop after this much wall time"),
)}
DEFAULTS = {"max_states": 100_000, "max_depth": 1_000, "max_seconds": 60.0}


def check_bounds(**bounds):
    """The bounds, each checked (ValueError naming it and its range); floats as floats."""
    return {name: BOUNDS[name].check(value) for name, value in bounds.items()}
