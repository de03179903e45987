"""The casebook: real blocking bugs from Go projects beside the story, each a buggy and a
fixed program written with the course's primitives (Go's vocabulary, DESIGN.md).

    from lessons.cases import CASES, case
    c = case("late-send")
    run_program(c.buggy, seed=3), explore(c.buggy), explore(c.fixed)

Each case's module tells the incident in our own words, links the public report it comes
from, and says what the fix changed. Pointers to the reports came from GoBench (Yuan et
al., CGO 2021), which reduced each bug to a small kernel.
"""
from . import (
    both_send_first,
    drain_and_wait,
    early_return,
    late_send,
    lock_across_send,
    lost_signal,
    read_lock_twice,
    wait_under_lock,
)

CASES = {m.CASE.name: m.CASE for m in (
    lock_across_send, read_lock_twice, wait_under_lock, late_send, lost_signal,
    both_send_first, early_return, drain_and_wait)}


def case(name):
    """The case named `name`; ValueError naming the choices for any other."""
    if name not in CASES:
        raise ValueError(f"case must be one of {', '.join(CASES)}; got {name!r}")
    return CASES[name]


__all__ = ["CASES", "case"]
