"""Notebook 01: predict when two actors that swap items deadlock."""
from typing import Callable

from .demos import swap
from .report import Report, ask, code_lines, reports_mistakes, right, wrong


@reports_mistakes
def check_swap(deadlocks: Callable[[int, int], bool]) -> Report:
    """`deadlocks(capacity, items)` -> bool, compared with the sim for small sizes."""
    for capacity in range(1, 4):
        for items in range(1, 6):
            actual = swap(capacity, items).deadlock is not None
            said = bool(ask(deadlocks, capacity, items))
            if said != actual:
                what = "deadlocks" if actual else "finishes"
                return wrong(f"you said {'deadlock' if said else 'no deadlock'} for capacity "
                             f"{capacity} and {items} items; the sim says it {what}",
                             replay=code_lines(("lessons.exercises", ["swap"]),
                                               call=f"print(swap({capacity}, {items}).deadlock or 'no deadlock')"))
    return right("your rule matches the sim for capacities 1-3 and 1-5 items",
                 "each side can park `capacity` items in the other's channel; one more "
                 "and both wait to send, with nobody left to receive")
