"""The table every strategy shares: N philosophers, N forks, and the life of a philosopher.

Seating (fixed by the public surface, docs/design.md): philosophers p0..pN-1 and forks f0..fN-1, fork i between
p(i) and p(i+1). So p(i) sits between f(i-1), his *left* fork, and f(i), his *right* one;
a naive table that deadlocks shows the cycle p0 -> p1 -> ... -> p0 through the forks.

A philosopher eats `meals` times: think, get hungry, pick up forks (the strategy's job),
eat, put them down (the strategy's again), then leave. The table keeps the books: each
one's state (thinking / hungry / eating / done), meals, waits (hungry to eating, on the
runtime's clock) and how often his neighbours ate while he waited (starvation).

Livelock, precisely: LIVELOCK_FAILURES_EACH x N failed attempts in a row (a philosopher
put a fork back because the other one was taken) while nobody was eating; a meal that
starts resets the count. The table then declares the livelock and every philosopher gives
up at his next failure or meal, putting down what he holds, so the run ends.
"""
import threading
from dataclasses import dataclass
from functools import partial

from lessons.primitives.errors import WouldBlock
from lessons.runtime import RUNTIMES, sleep

from .strategies import STRATEGIES
from .strategy import Strategy

THINKING, HUNGRY, EATING, DONE = "thinking", "hungry", "eating", "done"
LIVELOCK_FAILURES_EACH = 4


@dataclass(frozen=True)
class Pace:
    """How long things take, in the runtime's seconds."""
    think: float
    eat: float
    reach: float     # between lifting one fork and reaching for the next
    backoff: float   # trylock: how long to hold one fork, hoping, before putting it back


# Sim: virtual seconds. A think or reach of 0 is still a scheduling point, so any
# interleaving can happen there; philosophers who are soon hungry again keep the table
# busy, which is when strategies differ. Threads: the OS rarely switches threads between
# two lines, so a short real reach stands in for the unlucky moment the sim picks freely.
SIM_PACE = Pace(think=0.0, eat=1.0, reach=0.0, backoff=0.5)
REAL_PACE = Pace(think=0.005, eat=0.02, reach=0.005, backoff=0.01)


class GaveUp(Exception):
    """The table declared a livelock: stop trying, put down what you hold, leave."""


class Table:
    """The forks, the books, and one actor per philosopher, in runtime `rt`."""

    def __init__(self, rt, philosophers, strategy, meals):
        self.rt, self.n, self.strategy, self.meals_each = rt, philosophers, strategy, meals
        self.pace = SIM_PACE if rt.virtual_clock else REAL_PACE
        self.names = [f"p{i}" for i in range(philosophers)]
        self.forks = [rt.lock(f"f{i}") for i in range(philosophers)]
        # `books` guards every counter below; held for bookkeeping only, never across a wait.
        self.books = threading.Lock()
        self.states = [THINKING] * philosophers
        self.meals = [0] * philosophers
        self.waits = [[] for _ in range(philosophers)]   # seconds hungry before each meal
        self.hungry_since = [None] * philosophers
        self.overtaken = [0] * philosophers   # most neighbour meals in one hungry stretch
        self.stretch = [0] * philosophers     # neighbour meals in the current stretch
        self.eating = 0
        self.failures = 0                     # failed attempts in all
        self.streak = 0                       # failed attempts in a row while nobody ate
        self.livelock = None                  # the time it was declared
        self.shared = strategy.setup(self) if strategy.setup else None
        for i, name in enumerate(self.names):
            rt.spawn(name, partial(dine, self, i))

    # -- seating ---------------------------------------------------------------------
    def left(self, i):
        return (i - 1) % self.n

    def right(self, i):
        return i

    def across(self, i, fork):
        """The other philosopher next to `fork`."""
        return (fork + 1) % self.n if fork == i else fork

    def neighbours(self, i):
        return sorted({(i - 1) % self.n, (i + 1) % self.n} - {i})

    # -- what strategies do with forks ----------------------------------------------------
    def take(self, fork):
        """Wait for `fork`, lift it, and take a moment before doing anything else."""
        self.forks[fork].acquire()
        sleep(self.pace.reach)

    def try_take(self, fork):
        """Lift `fork` if it is free, without waiting; True if now held."""
        try:
            self.forks[fork].acquire_nowait()
        except WouldBlock:
            return False
        return True

    def drop(self, fork):
        self.forks[fork].release()

    def put_back(self, fork):
        """A failed attempt: hold `fork` a moment longer, hoping, then put it back."""
        sleep(self.pace.backoff)
        self.forks[fork].release()
        with self.books:
            self.failures += 1
            if not self.eating:
                self.streak += 1
            declare = self.livelock is None and self.streak >= LIVELOCK_FAILURES_EACH * self.n
            if declare:
                self.livelock = self.rt.now()
        if declare:
            self.rt.note("livelock", f"{self.streak} failed attempts in a row, nobody eating")
        if self.livelock is not None:
            raise GaveUp()

    # -- the life of a philosopher -------------------------------------------------------------
    def think(self, i):
        self.states[i] = THINKING
        sleep(self.pace.think)

    def hungry(self, i):
        with self.books:
            self.states[i] = HUNGRY
            self.hungry_since[i] = self.rt.now()
            self.stretch[i] = 0
        self.rt.note("hungry")

    def eat(self, i):
        with self.books:
            if self.livelock is not None:
                raise GaveUp()
            self.states[i] = EATING
            self.eating += 1
            self.streak = 0
            self.meals[i] += 1
            self.waits[i].append(self.rt.now() - self.hungry_since[i])
            self.hungry_since[i] = None
            for j in self.neighbours(i):
                if self.states[j] == HUNGRY:
                    self.stretch[j] += 1
                    self.overtaken[j] = max(self.overtaken[j], self.stretch[j])
        self.rt.note("eat", self.meals[i])
        sleep(self.pace.eat)
        with self.books:
            self.eating -= 1
            self.states[i] = THINKING

    def give_up(self, i):
        """Put down every fork this philosopher holds (after GaveUp)."""
        me = self.rt.me().name
        for fork in self.forks:
            if fork.owner == me:
                fork.release()

    # -- reading the table ------------------------------------------------------------------
    def holder(self, fork):
        return self.forks[fork].owner

    def done(self):
        return all(m == self.meals_each for m in self.meals)


def dine(table, i):
    """One philosopher's evening, the same under every strategy."""
    strategy = table.strategy
    try:
        if strategy.sit:
            strategy.sit(table, i)
        for _ in range(table.meals_each):
            table.think(i)
            table.hungry(i)
            strategy.pick_up(table, i)
            table.eat(i)
            strategy.put_down(table, i)
        if strategy.leave:
            strategy.leave(table, i)
        table.states[i] = DONE
    except GaveUp:
        table.give_up(i)


def build_table(philosophers, strategy, meals, runtime="sim", seed=0, policy="random",
                schedule=None):
    """A fresh, unstarted table in a fresh runtime (strategy: a name, or a Strategy)."""
    rt = RUNTIMES[runtime].for_run(seed, policy, schedule)
    if not isinstance(strategy, Strategy):
        strategy = STRATEGIES[strategy]
    return Table(rt, philosophers, strategy, meals)


def build_runtime(philosophers=5, strategy="naive", meals=3, policy="random", schedule=None,
                  seed=0):
    """A fresh, unstarted SimRuntime with the table's actors (for a schedule search)."""
    chosen = strategy if isinstance(strategy, Strategy) else STRATEGIES.get(strategy)
    if chosen is not None and not chosen.searchable:
        raise ValueError(f"explore cannot search {chosen.name}: its philosophers are steered by "
                         "the table's shared livelock count, which a state's identity does not "
                         "see, so the search would not be sound; run seeds instead "
                         "(dining.run(strategy='trylock', seed=...))")
    return build_table(philosophers, strategy, meals, "sim", seed, policy, schedule).rt
