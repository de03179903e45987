"""The system's shape for a scenario: its channels (names, capacities, ends) and actors.

Channels (and who may use each end, which lets the wait-for analysis see a partial
deadlock exactly):
    requests       client.send -> shim.requests
    handoff        shim.requests -> shim.main             (single design only)
    c_buffer       engine caller -> engine                 (the C buffer)
    replies        engine -> engine caller                 ("I have your request")
    notifications  engine -> shim.main                     (the go channel buffer)
    stream         shim.main -> client.recv                (the gRPC flow-control window)
    clicks         the learner -> client.send              (live runs only)

Derived from the design and the knobs alone, without building anything: System
(system.py) makes these channels in one runtime; a processes run (processes/launch.py,
run.py) and the Go run learn from them which pipes to open, what the board names and
who waits on whom, without building a System they would never start.
"""
from dataclasses import dataclass
from typing import Callable

from lessons.primitives.rules import SEND

from .client import client_recv, client_send
from .engine import engine

CODES = {"client.send": "S", "client.recv": "C", "shim.requests": "R", "shim.main": "M",
         "engine": "E"}
REQUESTS_CAPACITY = 1
HANDOFF_CAPACITY = 1
REPLIES_CAPACITY = 1
CLICKS_CAPACITY = 64


@dataclass(frozen=True)
class ChannelSpec:
    """One channel of the system: its name, capacity and declared ends (None: anyone)."""
    name: str
    capacity: int
    senders: tuple[str, ...] | None
    receivers: tuple[str, ...]
    knob: str    # the knob that sets its capacity, as a pipe's error names it

    def other_end(self, op):
        """Who completes a wait `op` here (as Chan.other_end)."""
        return self.receivers if op == SEND else self.senders


@dataclass(frozen=True)
class ActorSpec:
    """One actor: its name, its code (called with the system's view), whether its waits
    lead out of the system (the client), and its one-letter code in a schedule."""
    name: str
    fn: Callable
    outside: bool
    code: str


def channels(scenario):
    """The story's channels for `scenario`, in the story's order (the clicks left out)."""
    sc, design = scenario, scenario.shim_design
    caller = (design.engine_caller,)
    specs = [ChannelSpec("requests", REQUESTS_CAPACITY, ("client.send",), ("shim.requests",),
                         "requests capacity")]
    if design.handoff:
        specs.append(ChannelSpec("handoff", HANDOFF_CAPACITY, ("shim.requests",),
                                 ("shim.main",), "handoff capacity"))
    specs += [ChannelSpec("c_buffer", sc.c_buffer_capacity, caller, ("engine",),
                          "c_buffer_capacity"),
              ChannelSpec("replies", REPLIES_CAPACITY, ("engine",), caller, "replies capacity"),
              ChannelSpec("notifications", sc.channel_capacity, ("engine",), ("shim.main",),
                          "channel_capacity"),
              ChannelSpec("stream", sc.stream_window, ("shim.main",), ("client.recv",),
                          "stream_window")]
    return tuple(specs)


CLICKS = ChannelSpec("clicks", CLICKS_CAPACITY, None, ("client.send",), "clicks capacity")


def run_channels(scenario, live=False, extra=()):
    """Every channel a run of `scenario` has: the story's, the learner's clicks when the
    run is `live`, and a variant's `extra` ones (ChannelSpecs)."""
    return (*channels(scenario), *((CLICKS,) if live else ()), *extra)


def actors(scenario):
    """The story's five actors for `scenario`, in spawn order."""
    design = scenario.shim_design
    return tuple(ActorSpec(name, fn, outside, CODES[name]) for name, fn, outside in (
        ("client.send", client_send, True),
        ("client.recv", client_recv, True),
        ("shim.requests", design.requests_goroutine, False),
        ("shim.main", design.main_goroutine, False),
        ("engine", engine, False)))
