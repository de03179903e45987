"""Checks for notebook 08's exercises: each returns a Report (lessons/exercises/report.py),
true when the answer is right, printed as "✓ right" or "✗ not yet" with the code that
shows the problem again, as printed."""
from typing import Callable

from lessons.exercises.report import (UNNAMED, Report, all_named, code_lines, reports_mistakes,
                                      right, wrong)
from lessons.story.picture import cycle_text

from . import naive
from .dinner import outcome, play, run
from .table import LIVELOCK_FAILURES_EACH, Strategy, Table, build_table

SEEDS = range(140)   # N from 2 to 8, twenty seeds each
SHOWN_LIVELOCK_SEED = 49   # notebook 08 shows this one; exercise 8.2 asks for another


def dine_with(pick_up: Callable, put_down: Callable = naive.put_down, philosophers: int = 5,
              meals: int = 3, seed: int = 0) -> str:
    """One sim evening at a table whose philosophers use your pick_up: how it ended, and
    its final picture (the "see it again" of exercise 8.1)."""
    table = dinner_with(pick_up, put_down, philosophers, meals, seed)
    final_picture, _ = play(table)
    return f"outcome: {outcome(table).upper()}\n{final_picture}"


def dinner_with(pick_up, put_down, philosophers, meals, seed) -> Table:
    """An unstarted table whose philosophers pick up and put down forks your way."""
    yours = Strategy("yours", breaks="", pick_up=pick_up, put_down=put_down)
    return build_table(philosophers, yours, meals, seed=seed)


@reports_mistakes
def check_strategy(pick_up: Callable, put_down: Callable = naive.put_down, meals: int = 3) -> Report:
    """Exercise 8.1: a pick_up (and put_down) under which no table ever deadlocks, by a
    rule other than the ordered table's (lower-numbered fork first), which 08 shows."""
    if takes_lower_fork_first(pick_up):
        return wrong("every philosopher takes his lower-numbered fork first: that is the "
                     "ordered table from above (sorting the forks); 8.1 asks for another rule, "
                     "for example by whether a philosopher's number is even or odd")
    for seed in SEEDS:
        n = 2 + seed % 7
        table = dinner_with(pick_up, put_down, n, meals, seed)
        try:
            play(table)
        except RuntimeError as err:      # a philosopher crashed in the learner's code
            return wrong(f"with {n} philosophers, seed {seed}: {crash_sentence(err)}",
                         replay=replay_yours(pick_up, put_down, n, meals, seed))
        verdict = outcome(table)
        if verdict != "completed":
            cycle = [f"cycle: {cycle_text(table.rt.deadlock.cycle)}"] if table.rt.deadlock else []
            return wrong(f"{verdict.upper()} with {n} philosophers, seed {seed}", *cycle,
                         f"schedule: {table.rt.schedule()}",
                         replay=replay_yours(pick_up, put_down, n, meals, seed))
    return right(f"every table completed: {len(SEEDS)} seeds, 2 to 8 philosophers, no deadlock"
                 " and no livelock")


class FirstTake(Exception):
    """Raised by ForkProbe at a pick_up's first take(): which fork it was."""


class ForkProbe:
    """A stand-in table for one philosopher: it answers left() and right() as a table of
    n does (with the Table's own code), and stops the pick_up at its first take()."""
    left, right = Table.left, Table.right

    def __init__(self, n):
        self.n = n

    def take(self, fork):
        raise FirstTake(fork)


def takes_lower_fork_first(pick_up) -> bool:
    """Does every philosopher, at every table of 2 to 8, reach for his lower-numbered fork
    first? (False when the pick_up asks the table for anything else: the runs judge it.)"""
    for n in range(2, 9):
        for i in range(n):
            probe = ForkProbe(n)
            try:
                pick_up(probe, i)
                return False
            except FirstTake as first:
                if first.args[0] != min(probe.left(i), probe.right(i)):
                    return False
            except Exception:       # the learner's code, on a table it did not expect
                return False
    return True


def crash_sentence(err: RuntimeError) -> str:
    """A philosopher's crash (run_to_end's "NAME crashed: ...") as a sentence."""
    philosopher = str(err).partition(" crashed")[0]
    exc = err.__cause__ or err
    return f"{philosopher} crashed in your code with {type(exc).__name__}: {exc}"


def replay_yours(pick_up, put_down, philosophers, meals, seed) -> str:
    """The code that shows a learner's table again (their functions by their names)."""
    if not all_named(pick_up, put_down):
        return UNNAMED
    args = [pick_up.__name__]
    if put_down is not naive.put_down:
        args.append(f"put_down={put_down.__name__}")
    args += [f"philosophers={philosophers}", f"meals={meals}", f"seed={seed}"]
    return code_lines(("dining.checks", ["dine_with"]), call=f"print(dine_with({', '.join(args)}))")


@reports_mistakes
def check_livelock_seed(seed: int) -> Report:
    """Exercise 8.2: a seed under which 5 trylock philosophers livelock."""
    if not isinstance(seed, int) or seed < 0:
        return wrong(f"give a seed, a whole number >= 0, not {seed!r}")
    if seed == SHOWN_LIVELOCK_SEED:
        return wrong(f"seed {seed} is the one the notebook showed you: find another "
                     "(loop over seeds until dining.run(...).outcome says 'livelock')")
    r = run(strategy="trylock", seed=seed)
    if r.outcome != "livelock":
        return wrong(f"seed {seed}: {r.outcome}, {sum(r.meals.values())} meals eaten. "
                     "Livelocks are rare: try seeds in a loop until one says 'livelock'.",
                     evidence=r.dinner,
                     replay=f"import dining\nprint(dining.run(strategy='trylock', seed={seed}).summary())")
    return right(f"seed {seed} livelocks: {r.failures} failed attempts, the last "
                 f"{5 * LIVELOCK_FAILURES_EACH} or more in a row with nobody eating",
                 f"replay it with dining.run(strategy='trylock', schedule={r.schedule!r})")
