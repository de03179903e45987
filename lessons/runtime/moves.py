"""The sim scheduler's rules for moves, on plain values: which moves are on offer, which
case a move takes, what a timer says, and a move's schedule token. The sim runtime and the
explorer both use these, so a search offers exactly the moves a run offers.

A *move* is an actor taking its next step: (actor, k), where k is the index of the select
case it takes when it waits on several, or None for a single wait, a timer firing or a
sleep ending.
"""
from lessons.analysis.waitfor import BLOCKED, IDLE, READY, SLEEPING


def offer(actors, ready, clock):
    """The moves on offer, in spawn order, and what each actor's state becomes.

    `actors`: (state, cases, deadline) of each actor waiting for the scheduler, None for
    one that is not (finished, or running); `ready(case)`: can that case complete now.
    Returns (moves as (index, k), new states (None where not waiting), indices of the
    actors that have just blocked)."""
    moves, states, newly_blocked = [], [], []
    for i, actor in enumerate(actors):
        if actor is None:
            states.append(None)
            continue
        state, cases, deadline = actor
        if len(cases) == 1:     # the common case, kept cheap: every step looks at everyone
            ready_cases = [0] if ready(cases[0]) else []
        else:
            ready_cases = [k for k, case in enumerate(cases) if ready(case)]
        if not ready_cases and deadline is not None and deadline <= clock:
            ready_cases = [None]
        if ready_cases:
            states.append(READY)
            if len(ready_cases) > 1 or len(cases) > 1:
                moves.extend((i, k) for k in ready_cases)
            else:
                moves.append((i, None))
            continue
        now = BLOCKED if cases else (SLEEPING if deadline is not None else IDLE)
        if now == BLOCKED and state != BLOCKED:
            newly_blocked.append(i)
        states.append(now)
    return moves, states, newly_blocked


def case_taken(cases, k, ready):
    """The case a move completes: `k`, the only case when it is ready, or None for a timer."""
    if k is None and len(cases) == 1 and ready(cases[0]):
        return 0
    return k


def next_timer(deadlines):
    """When the clock jumps to, when nothing can move: the earliest pending timer, or None."""
    pending = [d for d in deadlines if d is not None]
    return min(pending) if pending else None


def timeout_message(actor, op, chan, clock):
    return f"{actor}: {op} {chan} timed out at t={clock:g} s"


def token_of(code, k, cases):
    """A move's schedule token, e.g. 'E', 'M/1' (a case is named only in a select)."""
    return code if k is None or cases < 2 else f"{code}/{k}"


def token(move):
    """The schedule token of a live move (actor, k)."""
    actor, k = move
    return token_of(actor.code, k, len(actor.cases or ()))
