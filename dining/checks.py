"""Checks for notebook 08's exercises: each says what is right, what is wrong, and which
seed or schedule shows it (and returns True or False, for tests)."""
from lessons.story.picture import cycle_text

from . import naive
from .dinner import outcome, play, run
from .table import LIVELOCK_FAILURES_EACH, Strategy, build_table

SEEDS = range(140)   # N from 2 to 8, twenty seeds each


def check_strategy(pick_up, put_down=naive.put_down, meals=3):
    """Exercise 8.1: a pick_up (and put_down) under which no table ever deadlocks."""
    mine = Strategy("yours", breaks="", pick_up=pick_up, put_down=put_down)
    for seed in SEEDS:
        n = 2 + seed % 7
        table = build_table(n, mine, meals, seed=seed)
        play(table)
        verdict = outcome(table)
        if verdict != "completed":
            rt = table.rt
            print(f"✘ {verdict} with {n} philosophers, seed {seed}")
            if rt.deadlock is not None:
                print(f"  cycle: {cycle_text(rt.deadlock.cycle)}")
            print(f"  see it again: schedule={rt.schedule()!r}")
            return False
    print(f"✔ every table completed: {len(SEEDS)} seeds, 2 to 8 philosophers, no deadlock"
          " and no livelock")
    return True


def check_livelock_seed(seed):
    """Exercise 8.2: a seed under which 5 philosophers with trylock livelock."""
    r = run(strategy="trylock", seed=seed)
    if r.outcome != "livelock":
        print(f"✘ seed {seed}: {r.outcome}, {sum(r.meals.values())} meals eaten. "
              "Livelocks are rare: try seeds in a loop until one says 'livelock'.")
        return False
    print(f"✔ seed {seed} livelocks: {r.failures} failed attempts, the last "
          f"{5 * LIVELOCK_FAILURES_EACH} or more in a row with nobody eating.\n  replay it with "
          f"dining.run(strategy='trylock', schedule={r.schedule!r})")
    return True
