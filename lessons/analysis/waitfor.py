"""Wait-for analysis: who waits on whom, and what that means.

The graph is read off the primitives' own state (each blocked actor's pending cases and
each primitive's possible partners), never guessed from timings. It takes plain values
(`ActorView`s), so the runtimes and the explorer build the same graph from the same
function, whether the state is a live run or a state of a search. Its verdicts:

- deadlock: a set of the system's own actors can never proceed, whatever anyone outside
  does, because each one waits only on members of the set. A wait with a timeout still
  counts as waiting: the timer turns a deadlock into an exit, it does not end it.
  A leak (Go's goroutine leak) is a deadlock with no cycle: an actor blocked forever,
  without a timer, with nobody left who could release it (its partners all finished); its
  `cycle` is empty and `reason` says it in words ("nobody left who could receive on
  result"). Whoever waits only on leaked actors is stuck with them.
- stall: no deadlock, nothing can move, and work is pending: someone is trying to hand
  something on, and the chain of waits leaves the system (the client must read).
"""
from collections import namedtuple
from dataclasses import dataclass, field

Actor = str
Edge = namedtuple("Edge", "actor waits_for chan op")
Edge.__doc__ = "`actor` waits for `waits_for`, doing `op` on the primitive named `chan`."
ActorView = namedtuple("ActorView", "name state outside timed cases")
ActorView.__doc__ = """One actor as plain values: its state, whether it is outside the system
(the client), whether its wait has a timer, and, while blocked, its pending cases as
(primitive name, op, partners): the names that could complete the case, None for anyone."""

RUNNING, READY, BLOCKED, SLEEPING, IDLE, FINISHED = (
    "running", "ready", "blocked", "sleeping", "idle", "finished")
CAN_MOVE = frozenset({RUNNING, READY, SLEEPING})


@dataclass(frozen=True)
class ActorNode:
    """One actor as the graph shows it."""
    name: Actor
    state: str
    outside: bool = False   # the client: not part of the system, can act at will
    timed: bool = False     # blocked with a timeout (still blocked)
    doing: tuple = ()       # (op, primitive name) of each pending case
    # One of its cases is the outside's to complete (the client's end): the outside may
    # always act again, even once its actor finished, so such a wait is no leak.
    outside_end: bool = False


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
    kind: str                                           # "deadlock" or "stall"
    cycle: list[Edge] = field(default_factory=list)     # in order, closing on themselves
    stuck: list[Actor] = field(default_factory=list)    # every actor that can never proceed
    chain: list[Edge] = field(default_factory=list)     # stall: the waits that lead outside
    t: float = 0.0
    reason: str = ""                                    # a deadlock in words (a leak's why)


def snapshot(views, t=0.0):
    """The graph of these ActorViews at time `t`."""
    live = [v.name for v in views if v.state != FINISHED]
    outside = {v.name for v in views if v.outside}
    nodes, edges = {}, []
    for v in views:
        cases = v.cases if v.state == BLOCKED else ()
        nodes[v.name] = ActorNode(v.name, v.state, v.outside, v.timed and bool(cases),
                                  tuple((op, chan) for chan, op, _ in cases),
                                  any((outside - {v.name}) if names is None
                                      else outside.intersection(names)
                                      for _, _, names in cases))
        for chan, op, names in cases:
            for partner in partners(names, v.name, live):
                edges.append(Edge(v.name, partner, chan, op))
    return WaitFor(nodes, edges, t)


def partners(names, actor, live):
    """The live actors (other than `actor`) among `names` (None: anyone might act)."""
    if names is None:
        return [b for b in live if b != actor]
    return [n for n in names if n in live and n != actor]


def formed(me, states, views, t=0.0):
    """`me` (an ActorView) just blocked: the deadlock it closes, if any (a new one must
    contain it). `states`: every actor's state by name; `views()`: every ActorView, built
    only when no partner of `me` can still move (the common case returns before)."""
    if me.outside:
        return None
    live = [name for name, state in states.items() if state != FINISHED]
    for _, _, names in me.cases:
        for name in partners(names, me.name, live):
            if states[name] != BLOCKED:
                return None   # someone who could release it can still move
    g = snapshot(views(), t)
    members = deadlocked(g)
    if not members:
        return None
    return deadlock(g, members, me.name)


def deadlock(g, members, start=None):
    """The deadlock Verdict of `members` (the deadlocked actors) in `g`."""
    found = cycle(g, members, start)
    return Verdict("deadlock", found, ordered(g, stuck(g)), t=g.t,
                   reason=because(found) if found else leak_reason(g, members))


def leaked(node, targets):
    """Blocked forever with nobody left who could release it (no timer will end it)."""
    return (not targets and node.state == BLOCKED and not node.outside and not node.timed
            and bool(node.doing) and not node.outside_end)


def closed_set(g, candidates):
    """The largest subset of `candidates` in which each member waits only on members
    (an actor that waits on nobody left is a member when it has leaked)."""
    members = set(candidates)
    changed = True
    while changed:
        changed = False
        for a in sorted(members):
            targets = g.targets(a)
            if (not targets and not leaked(g.nodes[a], targets)) or not targets <= members:
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
    """A cycle of wait edges inside `members`, starting from `start` when it lies on one;
    [] when there is none (only leaks, and those who wait on them)."""
    order = list(g.nodes)
    firsts = sorted(members, key=order.index)
    if start in members:
        firsts.insert(0, start)
    for a in firsts:
        path, seen = [], {}
        while a not in seen:
            seen[a] = len(path)
            edge = next((e for e in g.edges if e.actor == a and e.waits_for in members), None)
            if edge is None:
                break
            path.append(edge)
            a = edge.waits_for
        else:
            return path[seen[a]:]
    return []


OTHER_SIDE = {"send": "receive on", "recv": "send on", "acquire": "release",
              "acquire_read": "release", "drain": "release the read lock of",
              "wait": "wake"}
WAITING = {"send": "to send on", "recv": "to receive from", "acquire": "to acquire",
           "acquire_read": "to read-lock", "drain": "for the readers of", "wait": "on"}


def leak_reason(g, members):
    """Why a deadlock with no cycle is one: who leaked, waiting on what, nobody left."""
    parts = []
    for name in ordered(g, members):
        node = g.nodes[name]
        if not g.targets(name):
            what = "; ".join(f"nobody left who could {OTHER_SIDE.get(op, op)} {chan}"
                             for op, chan in node.doing)
            op, chan = node.doing[0]
            parts.append(f"{name} waits {WAITING.get(op, op)} {chan}: {what}")
    return "; ".join(parts)


def because(edges):
    return "; ".join(f"{e.actor} waits for {e.waits_for} ({e.op} {e.chan})" for e in edges)


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
        return deadlock(g, members, start)
    if quiet(g):
        chain = chain_outside(g)
        if chain:
            return Verdict("stall", chain=chain, t=g.t)
    return None


def ordered(g, names):
    """Names in the order the actors were spawned (stable output for traces and tests)."""
    return [n for n in g.nodes if n in names]


def doing(node, exit=None):
    """What an actor is doing, in a few words (`exit`: the run's Exit, if a process exited)."""
    if exit is not None and exit.actor == node.name:
        return "exited: its timer fired"
    if node.state == BLOCKED:
        waits = " or ".join(f"{op} {chan}" for op, chan in node.doing)
        return f"blocked: {waits}" + (" (timer running)" if node.timed else "")
    return node.state


def describe(v):
    """One plain sentence for a verdict."""
    if v is None:
        return "nothing is wrong: some actor can still move"
    if v.kind == "deadlock":
        return f"deadlock: {v.reason or because(v.cycle)}"
    hops = "; ".join(f"{e.actor} waits for {e.waits_for} ({e.op} {e.chan})" for e in v.chain)
    return f"stall: {hops}; only the outside can move it"
