"""An actor (one thread of control), and what a run records: events and exits."""
from collections import namedtuple

from lessons.analysis.waitfor import READY

Event = namedtuple("Event", "t actor op chan item depth")
Event.__doc__ = "One thing that happened: at time t, actor did op on chan; depth after it."
Exit = namedtuple("Exit", "t actor message")
Exit.__doc__ = "A process ended the run: at time t, `actor`'s process exited with `message`."


class Actor:
    """One thread of control and what it is doing now (read by the wait-for analysis)."""
    __slots__ = ("name", "code", "fn", "outside", "thread", "state", "cases", "deadline",
                 "result", "wake", "parked")

    def __init__(self, name, fn=None, outside=False, code=None):
        self.name, self.fn, self.outside = name, fn, outside
        self.code = code or name       # its token in schedule strings
        self.thread = None
        self.state = READY
        self.cases = None              # the pending (primitive, op, value) cases while waiting
        self.deadline = None           # when its timeout or sleep ends (runtime clock)
        self.result = None             # sim: what the scheduler's commit gave back
        self.wake = None               # the lock its thread waits on while parked
        self.parked = False            # sim: waiting on `wake` for the scheduler

    def __repr__(self):
        return f"<Actor {self.name} {self.state}>"
