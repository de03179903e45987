"""Dinner (the knobs), run (one evening at the table), Result (what happened).

    import dining
    result = dining.run(philosophers=5, strategy="naive", meals=3, runtime="sim", seed=0)
    result.outcome, result.cycle, result.stuck, result.meals, result.waits, result.trace

Outcomes:
    completed  every philosopher ate all his meals
    deadlock   some philosophers wait on each other for good (a cycle through the forks)
    livelock   everyone keeps trying, nobody eats: table.LIVELOCK_FAILURES_EACH x N failed
               attempts in a row while nobody was eating
    unfinished none of those before the run's limit (sim steps, or threads seconds)
    running    (a Session's result so far) none of those yet
Starvation is reported per philosopher: `overtaken` counts the most meals his neighbours
ate while he sat hungry, and `starving` names those overtaken more than STARVING_OVERTAKES
times.
"""
from dataclasses import dataclass, field

from lessons.analysis.waitfor import Edge
from lessons.runtime import check_schedule, run_to_end
from lessons.runtime.actor import Event
from lessons.runtime.interrupts import interruptible
from lessons.story.knobs import command_line

from . import picture as pictures
from .knobs import KNOBS
from .table import build_table

THREADS_MAX_SECONDS = 60   # a threads run still going after this is stopped
# Chandy-Misra lets each neighbour eat at most once while you wait: twice in all. More
# than that, several times over, is starvation in the making.
STARVING_OVERTAKES = 4


@dataclass(frozen=True)
class Dinner:
    philosophers: int = 5
    strategy: str = "naive"
    meals: int = 3
    runtime: str = "sim"
    seed: int = 0
    schedule: str | None = None   # sim only: replay these scheduling choices

    def __post_init__(self):
        for name, knob in KNOBS.items():
            knob.check(getattr(self, name))
        names = [f"p{i}" for i in range(self.philosophers)]
        check_schedule(self.schedule, self.runtime, dict(zip(names, names)))

    def to_dict(self):
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def command(self):
        """The CLI line that repeats this run: every knob, echoed."""
        return command_line("dining run", self.to_dict().items())


@dataclass
class Result:
    dinner: Dinner
    outcome: str
    cycle: list[Edge] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)     # philosophers that can never proceed
    meals: dict = field(default_factory=dict)      # philosopher -> meals eaten
    waits: dict = field(default_factory=dict)      # philosopher -> seconds hungry, per meal
    hungry: dict = field(default_factory=dict)     # philosopher -> seconds hungry at the end
    overtaken: dict = field(default_factory=dict)  # philosopher -> neighbour meals in one wait
    starving: list = field(default_factory=list)   # overtaken more than STARVING_OVERTAKES
    failures: int = 0                              # failed attempts (trylock)
    states: dict = field(default_factory=dict)     # philosopher -> thinking/hungry/eating/done
    holders: dict = field(default_factory=dict)    # fork -> philosopher holding it, or None
    deadlock_at: float | None = None
    livelock_at: float | None = None
    seconds: float = 0.0                           # the runtime's clock at the end
    trace: list[Event] = field(default_factory=list)
    schedule: str | None = None                    # sim: replays this run exactly
    picture: str = ""
    bound_hit: bool = False

    def throughput(self):
        """Meals per second of the runtime's clock (virtual seconds in sim)."""
        return sum(self.meals.values()) / self.seconds if self.seconds else 0.0

    def longest_waits(self):
        """Each one's longest wait for a meal, counting a wait still going at the end."""
        return {name: max(waits + [self.hungry.get(name, 0.0)])
                for name, waits in self.waits.items()}

    def to_dict(self):
        """JSON-ready: what `python -m dining run --json` prints."""
        return {
            "dinner": self.dinner.to_dict(),
            "outcome": self.outcome,
            "cycle": [e._asdict() for e in self.cycle],
            "stuck": list(self.stuck),
            "meals": dict(self.meals),
            "waits": {name: [round(w, 6) for w in waits] for name, waits in self.waits.items()},
            "hungry": {name: round(t, 6) for name, t in self.hungry.items()},
            "overtaken": dict(self.overtaken),
            "starving": list(self.starving),
            "failures": self.failures,
            "states": dict(self.states),
            "holders": dict(self.holders),
            "deadlock_at": _rounded(self.deadlock_at),
            "livelock_at": _rounded(self.livelock_at),
            "seconds": round(self.seconds, 6),
            "throughput": round(self.throughput(), 6),
            "schedule": self.schedule,
            "bound_hit": self.bound_hit,
            "trace": [{"t": round(e.t, 6), "actor": e.actor, "op": e.op, "chan": e.chan,
                       "item": None if e.item is None else str(e.item)} for e in self.trace],
        }

    def summary(self):
        return pictures.summary(self)


def _rounded(t):
    return None if t is None else round(t, 6)


@interruptible()
def run(philosophers=5, strategy="naive", meals=3, runtime="sim", seed=0, schedule=None):
    """One evening at the table, to the end; every thread it started has ended on return."""
    dinner = Dinner(philosophers, strategy, meals, runtime, seed, schedule)
    table = build_table(philosophers, strategy, meals, runtime, seed, schedule=schedule)
    final_picture, seconds = play(table)
    return collect(dinner, table, final_picture, seconds)


def play(table):
    """Run a table to its end and stop every thread; its final picture and clock."""
    return run_to_end(table.rt, lambda: (pictures.picture(table), table.rt.now()),
                      THREADS_MAX_SECONDS)


def outcome(table, running=False):
    rt = table.rt
    if rt.deadlock is not None:
        return "deadlock"
    if table.livelock is not None:
        return "livelock"
    if table.done():
        return "completed"
    return "running" if running else "unfinished"


def collect(dinner, table, final_picture="", seconds=None, running=False):
    """The Result of a table's run so far (`running`: it may go on, as a Session's)."""
    rt, names = table.rt, table.names
    seconds = rt.now() if seconds is None else seconds
    return Result(
        dinner=dinner, outcome=outcome(table, running),
        cycle=list(rt.deadlock.cycle) if rt.deadlock else [],
        stuck=list(rt.deadlock.stuck) if rt.deadlock else [],
        meals=dict(zip(names, table.meals)),
        waits={name: list(w) for name, w in zip(names, table.waits)},
        hungry={name: seconds - since for name, since in zip(names, table.hungry_since)
                if since is not None},
        overtaken=dict(zip(names, table.overtaken)),
        starving=[name for name, k in zip(names, table.overtaken) if k > STARVING_OVERTAKES],
        failures=table.failures,
        states=dict(zip(names, table.states)),
        holders={f.name: table.holder(k) for k, f in enumerate(table.forks)},
        deadlock_at=rt.deadlock.t if rt.deadlock else None,
        livelock_at=table.livelock, seconds=seconds, trace=list(rt.events),
        schedule=rt.schedule(),
        picture=final_picture, bound_hit=rt.bound_hit)
