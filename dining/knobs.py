"""The table's knobs, their allowed values, and the check that names a wrong one.

One table for the Python API, the CLI and the widgets, as in lessons/story/knobs.py
(whose `seed` knob the table shares; its runtimes are those that run in this process,
since the processes runtime runs only the story's own processes).
"""
from lessons.runtime import RUNTIMES
from lessons.story.knobs import KNOBS as SYSTEM_KNOBS
from lessons.story.knobs import Knob

from .strategies import STRATEGIES

KNOBS = {k.name: k for k in (
    Knob("philosophers", int, 2, 12, help="philosophers at the table, and as many forks"),
    Knob("strategy", str, choices=tuple(STRATEGIES), help="how a philosopher picks up forks"),
    Knob("meals", int, 1, 100, help="meals each philosopher eats before leaving"),
    Knob("runtime", str, help="real threads, or the deterministic sim",
         choices=tuple(name for name, rt in RUNTIMES.items() if not rt.separate_processes)),
    SYSTEM_KNOBS["seed"],
)}
