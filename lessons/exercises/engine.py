"""Notebook 02: predict what a lone engine does when nobody reads its notifications."""
from typing import Callable

from .demos import lone_engine
from .report import Mistake, Report, ask, code_lines, reports_mistakes, right, wrong


@reports_mistakes
def check_engine(predict: Callable[[int, int], tuple[int, bool]]) -> Report:
    """`predict(request_size, capacity)` -> (items left in notifications, was the ping answered)."""
    for capacity in (1, 2, 4):
        for size in (1, capacity, capacity + 1, 3 * capacity):
            actual = lone_engine(size, capacity)
            said = pair(ask(predict, size, capacity), size, capacity)
            if said != actual:
                return wrong(f"get {size} then ping, notifications capacity {capacity}: you said "
                             f"{said}, the engine gives {actual}",
                             replay=code_lines(("lessons.exercises", ["lone_engine"]),
                                               call=f"print(lone_engine({size}, {capacity}))"))
    return right("the engine fills notifications, then stops whole: a request behind a "
                 "blocked answer is never even read while the answer does not fit")


def pair(said, size: int, capacity: int) -> tuple:
    """A prediction as a (count, answered) pair, or a Mistake that says what came instead."""
    if not isinstance(said, (tuple, list)) or len(said) != 2:
        raise Mistake(f"predict({size}, {capacity}) gave {said!r}; give a pair: (items left in "
                      "notifications, was the ping answered), e.g. (2, False)")
    return tuple(said)
