"""Scenario (the knobs), run (one run of the system), Result (what happened).

    from lessons import Scenario, run
    result = run(Scenario(design="single", client="slow", runtime="sim", seed=3))
    result.outcome, result.cycle, result.stuck, result.exit, result.trace

Outcomes:
    completed  every request was answered and every data item reached the client
    deadlock   some of the system's own actors wait only on each other (detected the
               moment it formed; the shim's timer may then turn it into an exit)
    stall      no deadlock, work is pending, and progress waits on the client
    unfinished the run reached one of its own bounds first (`bound` names it)
outcome.py decides, for results and banners alike.
"""
from dataclasses import dataclass, field, fields, replace

from lessons.analysis.waitfor import Edge
from lessons.runtime import RUNTIMES, check_schedule, run_to_end
from lessons.runtime.actor import Event, Exit
from lessons.runtime.interrupts import interruptible
from lessons.runtime.linux.records import Evidence

from . import picture as pictures
from .designs import DESIGNS
from .knobs import KNOBS, command_line
from .original.check import check as check_original
from .outcome import decide
from .processes.check import check as check_processes
from .requests import parse_requests, request_text
from .shape import CODES
from .shim import Design
from .system import System

SIM_TIMEOUT = 3600.0       # the story's one-hour timer, in virtual seconds
THREADS_TIMEOUT = 5.0      # real seconds: long enough for a slow client, short for a demo
THREADS_MAX_SECONDS = 120  # a threads run that is still going after this is stopped


@dataclass(frozen=True)
class Scenario:
    design: str | Design = "single"    # "single", "split", or a Design of your own
    channel_capacity: int = 4
    c_buffer_capacity: int = 4
    stream_window: int = 2
    request_size: int = 32
    client: str = "slow"
    read_interval: float = 0.05
    requests: tuple[str, ...] | None = None   # "KIND [ARG] [@ T]" each; None: get, then ping
    timeout: float | None = None       # None: 3600 s in sim, 5 s in threads
    runtime: str = "sim"
    seed: int = 0
    schedule: str | None = None        # sim only: replay these scheduling choices

    def __post_init__(self):
        for name, knob in KNOBS.items():
            value = getattr(self, name)
            if name == "design" and isinstance(value, Design):
                continue
            if name == "timeout" and value is None:
                continue
            object.__setattr__(self, name, knob.check(value))
        if self.requests is not None:
            parse_requests(self.requests)   # now, so a bad one fails here, not in a thread
            object.__setattr__(self, "requests", tuple(self.requests))
        check_schedule(self.schedule, self.runtime, {code: name for name, code in CODES.items()})
        if self.runtime == "go":
            check_original(self)
        elif RUNTIMES[self.runtime].separate_processes:
            check_processes(self)

    @property
    def shim_design(self):
        return self.design if isinstance(self.design, Design) else DESIGNS[self.design]

    @property
    def design_name(self):
        return self.shim_design.name

    @property
    def shim_timeout(self):
        if self.timeout is not None:
            return self.timeout
        return SIM_TIMEOUT if RUNTIMES[self.runtime].virtual_clock else THREADS_TIMEOUT

    def request_texts(self):
        """The requests as written; by default the story's: a big get, then a ping."""
        return self.requests or (f"get {self.request_size}", "ping")

    def script(self):
        return parse_requests(self.request_texts())

    def with_(self, **changes):
        return replace(self, **changes)

    def to_dict(self):
        d = {name: getattr(self, name) for name in self.__dataclass_fields__}
        d["design"] = self.design_name
        d["requests"] = list(self.request_texts())
        d["timeout"] = self.shim_timeout
        return d

    def command(self):
        """The CLI line that repeats this run: every knob, echoed (but a seed, for a
        processes run: the kernel schedules it, and no seed repeats it)."""
        options = []
        for name, value in self.to_dict().items():
            if name == "seed" and self.runtime == "processes":
                continue
            if name != "requests":
                options.append((name, value))
            elif self.requests:
                options += [("request", r) for r in value]
        return command_line("lessons run", options)

    def code(self):
        """The Python that builds this scenario again, as it can be typed: the story's
        knobs (design, client, runtime, seed) and whatever else differs from the defaults.
        A design of your own is written from its parts, by the names of its functions."""
        default = Scenario()
        args = []
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name == "design":
                args.append(f"design={design_code(self.design)}")
            elif name == "requests" and value is not None:
                args.append(f"requests={list(value)!r}")
            elif name in STORY_KNOBS or value != getattr(default, name):
                args.append(f"{name}={value!r}")
        return f"Scenario({', '.join(args)})"


STORY_KNOBS = ("client", "runtime", "seed")     # always written out, so a reader sees them


def design_code(design):
    """A design as Python: the course's by name ('split'); yours from its parts, e.g.
    Design('mine', my_requests, my_main, engine_caller='shim.main')."""
    for name, known in DESIGNS.items():
        if design == name or design is known:
            return repr(name)
    parts = []
    for part in fields(design):
        value = getattr(design, part.name)
        if callable(value):
            parts.append(value.__name__)
        elif part.name == "name":
            parts.append(repr(value))
        else:
            parts.append(f"{part.name}={value!r}")
    return f"{type(design).__name__}({', '.join(parts)})"


@dataclass
class Result:
    scenario: Scenario
    outcome: str
    cycle: list[Edge] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)     # actors that can never proceed
    exit: Exit | None = None
    trace: list[Event] = field(default_factory=list)
    deadlock_at: float | None = None
    stall: list[Edge] = field(default_factory=list)    # the stall's chain of waits to the client
    schedule: str | None = None                        # sim: replays this run exactly
    sent: int = 0
    answered: int = 0
    delivered: int = 0
    expected: int = 0
    picture: str = ""                              # the final state, as text
    channels: dict[str, int] = field(default_factory=dict)   # name -> capacity
    bound_hit: bool = False
    bound: str | None = None     # the run's own bound it reached, in words
    # processes and go: stacks, kernel view, pipes, exit (records.Evidence; empty: none)
    evidence: Evidence = field(default_factory=Evidence)

    def to_dict(self):
        """JSON-ready: what `python -m lessons run --json` prints; "bound" only when the
        run reached one (so runs within their bounds print what they always printed)."""
        depths = {name: 0 for name in self.channels}
        trace = []
        for e in self.trace:
            if e.depth is not None and e.chan in depths:
                depths[e.chan] = e.depth
            trace.append({"t": round(e.t, 6), "actor": e.actor, "op": e.op, "chan": e.chan,
                          "item": None if e.item is None else str(e.item),
                          "depths": dict(depths)})
        return {
            "scenario": self.scenario.to_dict(),
            "outcome": self.outcome,
            "cycle": [e._asdict() for e in self.cycle],
            "stuck": list(self.stuck),
            "exit": None if self.exit is None else {
                "t": round(self.exit.t, 6), "actor": self.exit.actor, "message": self.exit.message},
            "deadlock_at": None if self.deadlock_at is None else round(self.deadlock_at, 6),
            "stall": [e._asdict() for e in self.stall],
            "schedule": self.schedule,
            "sent": self.sent, "answered": self.answered,
            "delivered": self.delivered, "expected": self.expected,
            "channels": dict(self.channels),
            "bound_hit": self.bound_hit,
            **({} if self.bound is None else {"bound": self.bound}),
            "trace": trace,
        } | ({"evidence": self.evidence.to_dict()} if self.evidence else {})

    def summary(self):
        """A few plain lines for people."""
        return pictures.summary(self)


@interruptible()
def run(scenario=None, **knobs):
    """Run the system once, to the end; every thread (and process) it started has ended
    on return.

    Takes a Scenario, or its knobs as keywords (run(design="split")), or both (the
    keywords change the Scenario's)."""
    if scenario is not None and not isinstance(scenario, Scenario):
        raise TypeError(f"run takes a Scenario, e.g. run(Scenario(design='single')), or "
                        f"knobs as keywords, e.g. run(design='single'); got {scenario!r}")
    sc = scenario if scenario is not None else Scenario(**knobs)
    if scenario is not None and knobs:
        sc = sc.with_(**knobs)
    if sc.runtime == "go":
        from .original.run import run_original  # Go, gRPC and Linux: only when asked for
        return Result(scenario=sc, **run_original(sc, THREADS_MAX_SECONDS))
    if RUNTIMES[sc.runtime].separate_processes:
        from .processes.run import run_in_processes  # gRPC and Linux: only when asked for
        return Result(scenario=sc, **run_in_processes(sc, THREADS_MAX_SECONDS))
    return run_system(System(sc))


def run_system(system):
    """Run a built system to the end (a variant such as lessons/story/workshop.py builds its own)."""
    final_picture = run_to_end(system.rt, lambda: pictures.picture(system, over=True),
                               THREADS_MAX_SECONDS)
    return collect(system, final_picture)


def collect(system, final_picture=""):
    """The Result of a system's run, as if it ended now."""
    rt, ledger = system.rt, system.ledger
    decision = decide(system, over=True)
    return Result(
        scenario=system.scenario, outcome=decision.outcome,
        cycle=list(rt.deadlock.cycle) if rt.deadlock else [],
        stuck=list(rt.deadlock.stuck) if rt.deadlock else [],
        exit=rt.exit, trace=list(rt.events), stall=decision.stall,
        deadlock_at=rt.deadlock.t if rt.deadlock else None,
        schedule=rt.schedule(),
        sent=len(ledger.sent), answered=len(ledger.answered),
        delivered=len(ledger.delivered), expected=system.expected_items(),
        picture=final_picture,
        channels={c.name: c.capacity for c in system.channels()},
        bound_hit=rt.bound_hit, bound=rt.bound)


__all__ = ["Scenario", "Result", "run", "request_text"]
