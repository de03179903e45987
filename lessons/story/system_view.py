"""What actor code sees: the client's and the engine's `system`, a design's `shim`.

One record for every runtime and every process, built by one function, `system_view`,
from a Scenario and the channels the caller holds: System (system.py) holds them all in
one runtime; in a processes run the engine's process (processes/engine_process.py), the
shim's (processes/shim_process.py) and the caller's client (processes/client_side.py)
each hold their own. A channel of the scenario's shape that a process does not hold is
`Elsewhere`, which fails at its first use naming the channel and the process; one the
story does not have (a split design's handoff, a run's clicks when it is not live) is
None, as the actors test it. A field the view lacks fails when the view is built;
`tests/test_system_view.py` checks that actor code reads nothing else.
"""
from dataclasses import dataclass, field, fields
from typing import Any

from . import shape
from .shim import call_engine

CHANNEL = {"channel": True}   # a field's metadata: one of the story's channels, by its name


def channel():
    """A view's field that holds the channel of its name (or Elsewhere, or None)."""
    return field(metadata=CHANNEL)


@dataclass
class Ledger:
    """What the client sent, what the shim got answered, what reached the client."""
    sent: list = field(default_factory=list)
    answered: Any = field(default_factory=list)   # the shim's process: counted on the board
    delivered: list = field(default_factory=list)


class Elsewhere:
    """A channel of the system that another process holds: any use of it here is a bug,
    said at once, rather than an AttributeError deep in a run."""

    def __init__(self, name, where):
        self.name, self.where = name, where

    def _refuse(self, *args, **kwargs):
        raise RuntimeError(f"channel {self.name!r} is not held by {self.where}: only the "
                           f"actors of the process that holds it can use it")

    def __getattr__(self, attr):
        self._refuse()

    __iter__ = __len__ = _refuse

    def __repr__(self):
        return f"Elsewhere({self.name!r}, {self.where!r})"


@dataclass(frozen=True, eq=False, kw_only=True, slots=True)
class SystemView:
    """The system as its actors see it: channels by the story's names, the scenario's
    knobs they read, the ledger, and the two calls a design or the engine makes. Every
    field is required (a builder that forgets one fails at once)."""
    requests: Any = channel()
    handoff: Any = channel()         # None: the design hands nothing over (split)
    c_buffer: Any = channel()
    replies: Any = channel()
    notifications: Any = channel()
    stream: Any = channel()
    clicks: Any = channel()          # None: not live; client.send sends the script
    script: list                     # the scenario's requests, parsed
    reading: str                     # the client knob: how client.recv reads (CLIENTS)
    read_interval: float
    timeout: float                   # the shim's timer on the engine's reply
    ledger: Ledger

    def call_engine(self, request):
        """Queue `request` in the C buffer and wait for the reply (story/shim.py)."""
        return call_engine(self, request)

    def may_subscribe(self, request):
        """The engine asks this before it accepts a subscription: here, yes at once.
        A variant answers otherwise (the workshop's engine asks the Go side and waits)."""
        return True


def channel_fields(view):
    """The names of `view`'s (a SystemView class) channel fields."""
    return [f.name for f in fields(view) if f.metadata.get("channel")]


def system_view(scenario, held, where, ledger=None, live=False, extra=(), view=SystemView):
    """The view of `scenario`'s system for a process that holds the channels `held`
    ({name: channel}); `where` names that process for Elsewhere's message. `live`: the
    run has the learner's clicks; `extra`: a variant's channels beyond the story's
    (ChannelSpecs), which `view`, a SystemView subclass, has fields for."""
    named = {spec.name for spec in shape.run_channels(scenario, live, extra)}
    fielded = channel_fields(view)
    unknown = (set(held) - named) | (named - set(fielded))
    if unknown:
        raise ValueError(f"{view.__name__} for {where}: channels {sorted(unknown)} are not "
                         f"both in the scenario's shape and fields of the view")
    chans = {name: held[name] if name in held else Elsewhere(name, where) if name in named
             else None for name in fielded}
    return view(**chans, script=scenario.script(), reading=scenario.client,
                read_interval=scenario.read_interval, timeout=scenario.shim_timeout,
                ledger=ledger if ledger is not None else Ledger())
