"""Wait-for analysis: who waits on whom, and what that means.

The graph is read off the primitives' own state (each blocked actor's pending cases and
each primitive's possible partners), never guessed from timings. Its verdicts:

- deadlock: a set of the system's own actors can never proceed, whatever anyone outside
  does, because each one waits only on members of the set. A wait with a timeout still
  counts as waiting: the timer turns a deadlock into an exit, it does not end it.
- stall: no deadlock, nothing can move, and work is pending: someone is trying to hand
  something on, and the chain of waits leaves the system (the client must read).
"""
from collections import namedtuple
from dataclasses import dataclass, field

Actor = str
Edge = namedtuple("Edge", "actor waits_for chan op")
Edge.__doc__ = "`actor` waits for `waits_for`, doing `op` on the primitive named `chan`."

RUNNING, READY, BLOCKED, SLEEPING, IDLE, FINISHED = (
    "running", "ready", "blocked", "sleeping", "idle", "finished")
CAN_MOVE = frozenset({RUNNING, READY, SLEEPING})


@dataclass(frozen=True)
class Node:
    """One actor as the analysis sees it."""
    name: Actor
    state: str
    outside: bool = False   # the client: not part of the system, can act at will
    timed: bool = False     # blocked with a timeout (still blocked)
    doing: tuple = ()       # (op, primitive name) of each pending case


@dataclass
class WaitFor:
    """A snapshot: every actor's node and every wait edge, at time `t`."""
    nodes: dict
    edges: list
    t: float = 0.0

    def targets(self, actor):
        return {e.waits_for for e in self.edges if e.actor == actor}

    def blocked(self):
        return [n.name for n in self.nodes.values() if n.state == BLOCKED]


@dataclass
class Verdict:
    kind: str                                   # "deadlock" or "stall"
    cycle: list = field(default_factory=list)   # Edges, in order, closing on themselves
    stuck: list = field(default_factory=list)   # every actor that can never proceed
    chain: list = field(default_factory=list)   # stall: the waits that lead outside
    t: float = 0.0


def snapshot(actors, t=0.0):
    """Build the graph from actors' pending cases; call with the runtime's guard held."""
    live = [a for a in actors if a.state != FINISHED]
    nodes, edges = {}, []
    for a in actors:
        cases = a.cases if a.state == BLOCKED else ()
        nodes[a.name] = Node(a.name, a.state, a.outside, a.deadline is not None and bool(cases),
                             tuple((op, prim.name) for prim, op, _ in cases))
        for prim, op, _ in cases:
            for partner in partners(prim, op, a, live):
                edges.append(Edge(a.name, partner, prim.name, op))
    return WaitFor(nodes, edges, t)


def partners(prim, op, actor, live):
    """The live actors (other than `actor`) whose next move could complete this case."""
    names = prim._partners(op)
    if names is None:   # an undeclared primitive: anyone might act on it
        return [b.name for b in live if b is not actor]
    alive = {b.name for b in live}
    return [n for n in names if n in alive and n != actor.name]


def closed_set(g, candidates):
    """The largest subset of `candidates` in which each member waits only on members."""
    members = set(candidates)
    changed = True
    while changed:
        changed = False
        for a in sorted(members):
            targets = g.targets(a)
            if not targets or not targets <= members:
                members.discard(a)
                changed = True
    return members


def deadlocked(g):
    """The system's actors that wait only on each other (the client is free to act)."""
    return closed_set(g, [n.name for n in g.nodes.values()
                          if n.state == BLOCKED and not n.outside])


def stuck(g):
    """Every actor that can never proceed, the client included."""
    return closed_set(g, g.blocked())


def cycle(g, members, start=None):
    """A cycle of wait edges inside `members`, starting from `start` when it lies on one."""
    order = list(g.nodes)
    a = start if start in members else min(members, key=order.index)
    path, seen = [], {}
    while a not in seen:
        seen[a] = len(path)
        edge = next(e for e in g.edges if e.actor == a and e.waits_for in members)
        path.append(edge)
        a = edge.waits_for
    return path[seen[a]:]


def chain_outside(g):
    """Stall: from a system actor blocked on a send, the waits that lead to the client."""
    outside = {n.name for n in g.nodes.values() if n.outside}
    for start in g.blocked():
        if g.nodes[start].outside or not any(e.op == "send" for e in g.edges if e.actor == start):
            continue
        path, a, seen = [], start, set()
        while a not in outside and a not in seen:
            seen.add(a)
            edge = next((e for e in g.edges if e.actor == a), None)
            if edge is None:
                break
            path.append(edge)
            a = edge.waits_for
        if a in outside:
            return path
    return []


def quiet(g):
    """Nothing can move: every actor is blocked, idle or finished."""
    return not any(n.state in CAN_MOVE for n in g.nodes.values())


def verdict(g, start=None):
    """deadlock (with cycle and stuck), stall, or None when nothing is wrong."""
    members = deadlocked(g)
    if members:
        return Verdict("deadlock", cycle(g, members, start), ordered(g, stuck(g)), t=g.t)
    if quiet(g):
        chain = chain_outside(g)
        if chain:
            return Verdict("stall", chain=chain, t=g.t)
    return None


def ordered(g, names):
    """Names in the order the actors were spawned (stable output for traces and tests)."""
    return [n for n in g.nodes if n in names]


def describe(v):
    """One plain sentence for a verdict."""
    if v is None:
        return "nothing is wrong: some actor can still move"
    if v.kind == "deadlock":
        hops = "; ".join(f"{e.actor} waits for {e.waits_for} ({e.op} {e.chan})" for e in v.cycle)
        return f"deadlock: {hops}"
    hops = "; ".join(f"{e.actor} waits for {e.waits_for} ({e.op} {e.chan})" for e in v.chain)
    return f"stall: {hops}; only the outside can move it"
