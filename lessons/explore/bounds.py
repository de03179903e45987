"""The search's bounds: one table, checked the same way by `explore()` and by the CLIs.

Memory grows with the states kept: 1.5 to 7 KB each (explore's docstring; a naive table
of 12 philosophers, 3 meals, peaked at 574 MB when its deadlock turned up after 78,000
states), so the default suits a class hub's kernel. The largest bounds are what the
benchmarks use for "never the limit" (benchmarks/explore_vs_spin.py); bounds beyond those
(a billion states, an infinite or NaN time) are refused, not taken as "no bound".
"""
from lessons.runtime.schedule import MAX_MOVES
from lessons.story.knobs import Knob

BOUNDS = {k.name: k for k in (
    Knob("max_states", int, 1, 10_000_000, help="stop after this many distinct states"),
    Knob("max_depth", int, 1, MAX_MOVES, help="do not follow a schedule past this many moves"),
    Knob("max_seconds", float, 0.001, 3600, help="stop after this much wall time"),
)}
# max_depth None: derived from max_states (`depth_for`), so that the depth bound never
# stops a search that the state bound lets finish.
DEFAULTS = {"max_states": 100_000, "max_depth": None, "max_seconds": 60.0}


def depth_for(max_states):
    """The default depth bound: as deep as `max_states` states allow. The search keeps
    every state it reaches, and a schedule of d moves passes d + 1 states, distinct once
    pruned; so a deeper schedule could only be followed past the state bound."""
    return min(max_states, MAX_MOVES)


def check_bounds(**bounds):
    """The bounds, each checked (ValueError naming it and its range); floats as floats;
    max_depth None is `depth_for(max_states)`."""
    if bounds.get("max_depth", 0) is None:
        bounds["max_depth"] = depth_for(BOUNDS["max_states"].check(bounds["max_states"]))
    return {name: BOUNDS[name].check(value) for name, value in bounds.items()}
