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
# max_depth None: derived from the program explored (`depth_for`), so that the depth
# bound never stops a search of a program whose runs are longer than DEPTH_FLOOR moves.
DEFAULTS = {"max_states": 100_000, "max_depth": None, "max_seconds": 60.0}
DEPTH_FLOOR = 1_000       # the default depth bound of a program whose runs are short
DEPTH_PER_MOVE = 2        # ... else this many times the moves of one seeded run


def depth_for(moves):
    """The default depth bound for a program one of whose runs made `moves` moves: twice
    that (other schedules of the same program may take more, not many more), at least
    DEPTH_FLOOR, at most the sim's own step bound."""
    return min(MAX_MOVES, max(DEPTH_FLOOR, DEPTH_PER_MOVE * moves))


def check_bounds(**bounds):
    """The bounds, each checked (ValueError naming it and its range); floats as floats;
    max_depth None is left for the explorer to derive (depth_for)."""
    return {name: value if name == "max_depth" and value is None else BOUNDS[name].check(value)
            for name, value in bounds.items()}
