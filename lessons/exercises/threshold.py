"""Notebook 04: the smallest request that can deadlock the single design."""
from typing import Callable

from lessons.story.scenario import Scenario, run

from .replay import command_lines, replay_code
from .report import Report, ask, reports_mistakes, right, wrong


def deadlock_seed(sc: Scenario, seeds: range) -> int | None:
    """The first seed on which `sc` deadlocks, or None."""
    return next((s for s in seeds if run(sc.with_(seed=s)).outcome == "deadlock"), None)


@reports_mistakes
def check_threshold(smallest: Callable[[int], int], seeds: range = range(30)) -> Report:
    """`smallest(channel_capacity)` -> the smallest request_size that can deadlock the single design."""
    for capacity in range(1, 7):
        n = ask(smallest, capacity)
        if not isinstance(n, int) or n < 1:
            return wrong(f"for capacity {capacity} you gave {n!r}; give a whole number >= 1")
        sc = Scenario(channel_capacity=capacity, request_size=n)
        if deadlock_seed(sc, seeds) is None:
            return wrong(f"capacity {capacity}, request_size {n}: no deadlock on seeds "
                         f"{seeds.start}-{seeds.stop - 1}; the answer fits in the buffer, so "
                         "the engine finishes it and then reads the ping")
        below = sc.with_(request_size=n - 1) if n > 1 else None
        seed = deadlock_seed(below, seeds) if below else None
        if seed is not None:
            trial = below.with_(seed=seed)
            return wrong(f"capacity {capacity}: request_size {n - 1} already deadlocks "
                         f"(seed {seed}); yours is not the smallest", *command_lines(trial),
                         evidence=trial, replay=replay_code(trial))
    return right("capacity + 1: the first item that does not fit blocks the engine; "
                 "from then on a second request is enough",
                 "so a bigger buffer moves the threshold; it does not remove it")
