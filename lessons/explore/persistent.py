"""Persistent sets: where one actor's moves are all the search needs to try.

A set of moves on offer is *persistent* when no sequence of other moves from here can
include one that interferes with it (Godefroid, 1996; SPIN's partial-order reduction
rests on the same idea). Trying only a persistent set still reaches every deadlock (see
explore/__init__.py for why). This module finds candidates by the static rule SPIN uses
for channels declared `xs`/`xr` (one sender, one receiver): an actor whose every pending
case is ready, on an open channel whose end it uses is declared for it alone; and an
actor whose sleep is over (an actor's start is one): waking touches nothing, and once
due it stays due, whatever others do. The search
then keeps a candidate only if each of its moves is *solo*: the actor did nothing on the
way to its next wait but park or finish (no `*_nowait`, release or close, no exit).
"""
from lessons.primitives.rules import CHAN


def candidates(world, state):
    """The actors (indices, spawn order) whose moves on offer pass the static rule, each
    with those moves: [(actor, [(token, actor, case), ...]), ...]."""
    on_offer = {}
    for move in state.offer:
        on_offer.setdefault(move[1], []).append(move)
    found = []
    for i, moves in on_offer.items():
        cases = state.actors[i][1]
        if not cases or (len(moves) == len(cases)
                         and all(_alone(world, state.contents, where, op, i)
                                 for where, op, _ in cases)):
            found.append((i, moves))
    return found


def _alone(world, contents, where, op, i):
    """Is actor i the only one that may do `op` on primitive `where`, an open channel,
    and can that case complete now?"""
    kind, _, _, prim = world.prims[where]
    return (kind == CHAN and not contents[where][1] and world.ready(contents, where, op)
            and prim.ends_of.get(op) == (world.names[i],))


def check_declared(world, i, ops=(), cases=()):
    """Refuse (ValueError) what the static rule cannot see: an outside actor (which the
    runtime lets use any end) waiting on, or trying, an end declared for others, and a
    close by an actor that is not one of the channel's declared senders (a close changes
    what the senders' next send does). `ops` and `cases`: what actor i just did, and where
    it waits now, as the search learns them."""
    name = world.names[i]
    uses = [("close", o[1], "send") for o in ops if o[0] == "close"]
    if world.outside[i]:
        uses += [("wait to", where, op) for where, op, _ in cases]
        uses += [("try to", o[1], o[2]) for o in ops if o[0] == "nowait"]
    for doing, where, op in uses:
        kind, chan, _, prim = world.prims[where]
        ends = prim.ends_of.get(op) if kind == CHAN else None
        if ends is not None and name not in ends:
            what = "close" if doing == "close" else f"{doing} {op} on"
            raise ValueError(f"explore: {name} would {what} {chan}, whose {op} end belongs "
                             f"to {', '.join(ends) or 'nobody'}; the search relies on "
                             f"declared ends to skip orders that cannot matter: declare "
                             f"{name} there")
