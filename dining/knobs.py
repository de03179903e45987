"""The table's knobs, their allowed values, and the check that names a wrong one.

One table for the Python API, the CLI and the widgets, as in lessons/knobs.py (whose
`runtime` and `seed` knobs the table shares).
"""
from lessons.story.knobs import KNOBS as SYSTEM_KNOBS
from lessons.story.knobs import Knob

from .strategies import STRATEGIES

KNOBS = {k.name: k for k in (
    Knob("philosophers", int, 2, 12, help="philosophers at the table, and as many forks"),
    Knob("strategy", str, choices=tuple(STRATEGIES), help="how a philosopher picks up forks"),
    Knob("meals", int, 1, 100, help="meals each philosopher eats before leaving"),
    SYSTEM_KNOBS["runtime"],
    SYSTEM_KNOBS["seed"],
)}
