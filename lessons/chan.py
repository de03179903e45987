"""A bounded channel with Go semantics, and `select` over several channels.

Every channel belongs to a runtime, and the runtime's single `guard` lock protects every
channel's state (items, closed flag, who waits). One lock for all primitives is what lets
`select` look at several channels at once and the wait-for graph see one consistent
state. The runtime decides how a blocked actor waits (a real wait in threads; a parked
thread the scheduler resumes in sim); the channel only answers "could this case complete
now?" (`_ready`) and performs it (`_commit`).

Blocking modes, for `send`, `recv` and `select`:
- timeout=None: wait as long as it takes (a deadlock waits forever; the run detects it);
- timeout=S: wait at most S seconds (virtual seconds in sim), then raise `Timeout`;
- the `*_nowait` forms never wait: they raise `WouldBlock` instead.
Send on a closed channel raises `Closed`; recv on a closed, empty channel raises `Closed`.
"""
from collections import deque

from .errors import Closed, Misuse

SEND, RECV = "send", "recv"


def positive_int(knob, value, upper=None):
    """Return `value` if it is a whole number >= 1 (and <= upper), else a ValueError naming the knob."""
    bounds = f"between 1 and {upper}" if upper else "at least 1"
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (upper and value > upper):
        raise ValueError(f"{knob} must be a whole number {bounds}, got {value!r}")
    return value


class Chan:
    """A FIFO of at most `capacity` items, shared by the actors of one runtime.

    `senders` and `receivers` name the actors that may ever use each end. With them the
    wait-for analysis knows exactly who could release a waiter, so it can see a partial
    deadlock while other actors still run; without them (None) anyone might.
    """

    def __init__(self, rt, name, capacity, senders=None, receivers=None):
        self.rt, self.name = rt, name
        self.capacity = positive_int(f"{name} capacity", capacity)
        self.senders = tuple(senders) if senders is not None else None
        self.receivers = tuple(receivers) if receivers is not None else None
        self.items = deque()
        self.closed = False
        self.waiting = []   # threads runtime: actors to wake when this channel changes
        rt._register(self)

    # -- the non-blocking core, called with rt.guard held ---------------------------
    def _ready(self, op):
        if op is SEND:
            return self.closed or len(self.items) < self.capacity
        return self.closed or bool(self.items)

    def _commit(self, op, value, actor):
        ends = self.senders if op is SEND else self.receivers
        if ends is not None and actor.name not in ends and not actor.outside:
            raise Misuse(f"{actor.name} tried to {op} on {self.name}, whose {op} end belongs "
                         f"to {', '.join(ends) or 'nobody'}; declare it there, or the "
                         "wait-for analysis would be wrong")
        if op is SEND:
            if self.closed:
                raise Closed(f"{actor.name} sent on {self.name} after it was closed")
            self.items.append(value)
            result = None
        else:
            if not self.items:
                raise Closed(f"{self.name} is closed and empty")
            value = result = self.items.popleft()
        rt = self.rt
        if self.waiting:
            rt._wake(self)
        if rt.events is not None:
            rt._record(actor, op, self.name, value, len(self.items))
        return result

    def _partners(self, op):
        return self.receivers if op is SEND else self.senders

    # -- cases for select -------------------------------------------------------------
    def sending(self, item):
        """A case for `select`: send `item` on this channel."""
        return (self, SEND, item)

    def receiving(self):
        """A case for `select`: receive from this channel."""
        return (self, RECV, None)

    # -- the public operations ---------------------------------------------------------
    def send(self, item, timeout=None):
        """Put `item` at the back, waiting while the channel is full."""
        self.rt.wait(((self, SEND, item),), timeout)

    def recv(self, timeout=None):
        """Take the front item, waiting while the channel is empty."""
        return self.rt.wait(((self, RECV, None),), timeout)[1]

    def send_nowait(self, item):
        self.rt.now_or_never((self, SEND, item))

    def recv_nowait(self):
        return self.rt.now_or_never((self, RECV, None))

    def close(self):
        """No more sends; receivers drain what is left, then get `Closed`."""
        with self.rt.guard:
            self.closed = True
            if self.waiting:
                self.rt._wake(self)
            if self.rt.events is not None:
                self.rt._record(self.rt.me(), "close", self.name, None, len(self.items))

    def __iter__(self):
        """Receive until the channel is closed and drained."""
        while True:
            try:
                yield self.recv()
            except Closed:
                return

    def __len__(self):
        return len(self.items)

    def statistics(self):
        """Depth, capacity, and who waits on each end (the wait-for graph's raw material)."""
        with self.rt.guard:
            waiting = self.rt.waiters(self)
            return {"name": self.name, "depth": len(self.items), "capacity": self.capacity,
                    "closed": self.closed, "waiting_send": waiting.get(SEND, []),
                    "waiting_recv": waiting.get(RECV, [])}

    def history(self):
        """(time, depth) after every send and receive on this channel, from the run's trace."""
        return [(e.t, e.depth) for e in self.rt.events or () if e.chan == self.name
                and e.op in (SEND, RECV)]

    def __repr__(self):
        return f"<Chan {self.name} {len(self.items)}/{self.capacity}{' closed' if self.closed else ''}>"


def select(*cases, timeout=None):
    """Wait until one of the cases can complete, do it, and return (index, value).

    As in Go, when several cases are ready the choice is random (seeded in sim). In sim
    each ready case is a separate scheduling choice, so a schedule string fixes it too.
    """
    if not cases:
        raise ValueError("select needs at least one case")
    rt = cases[0][0].rt
    if any(prim.rt is not rt for prim, _, _ in cases):
        raise ValueError("select cases must all belong to one runtime")
    return rt.wait(tuple(cases), timeout)

