"""A bounded channel with Go semantics, and `select` over several channels.

Every channel belongs to a runtime, which decides how a blocked actor waits (a real wait
in threads; a parked thread the scheduler resumes in sim); the channel only answers
"could this case complete now?" and performs it, by the rules in rules.py.

Blocking modes, for `send`, `recv` and `select`:
- timeout=None: wait as long as it takes (a deadlock waits forever; the run detects it);
- timeout=S: wait at most S seconds (virtual seconds in sim), then raise `Timeout`;
- the `*_nowait` forms never wait: they raise `WouldBlock` instead.
Send on a closed channel raises `Closed`; recv on a closed, empty channel raises `Closed`.
"""
from . import rules
from .base import Primitive
from .errors import Closed
from .rules import RECV, SEND


def positive_int(knob, value, upper=None):
    """Return `value` if it is a whole number >= 1 (and <= upper), else a ValueError naming the knob."""
    bounds = f"between 1 and {upper}" if upper else "at least 1"
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (upper and value > upper):
        raise ValueError(f"{knob} must be a whole number {bounds}, got {value!r}")
    return value


class ChanOps:
    """What a channel offers on top of its waiter's `wait_one` and `wait`: shared by `Chan`
    and the processes runtime's `PipeChan` (pipechan.py), whose waiter waits on pipes.
    `self.rt` is that runtime or waiter."""

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
        self.rt.wait_one(self, SEND, item, timeout)

    def recv(self, timeout=None):
        """Take the front item, waiting while the channel is empty."""
        return self.rt.wait_one(self, RECV, None, timeout)

    def __iter__(self):
        """Receive until the channel is closed and drained."""
        while True:
            try:
                yield self.recv()
            except Closed:
                return


class Chan(ChanOps, Primitive):
    """A FIFO of at most `capacity` items, shared by the actors of one runtime.

    `senders` and `receivers` name the actors that may ever use each end. With them the
    wait-for analysis knows exactly who could release a waiter, so it can see a partial
    deadlock while other actors still run; without them (None) anyone might.
    """
    kind = rules.CHAN

    def __init__(self, rt, name, capacity, senders=None, receivers=None):
        self.capacity = positive_int(f"{name} capacity", capacity)
        self.senders = tuple(senders) if senders is not None else None
        self.receivers = tuple(receivers) if receivers is not None else None
        self.ends_of = {SEND: self.senders, RECV: self.receivers}
        super().__init__(rt, name)

    @property
    def items(self):
        return self.contents[0]

    @property
    def closed(self):
        return self.contents[1]

    def other_end(self, op):
        return self.receivers if op == SEND else self.senders

    def traced_item(self, op, value, result):
        return value if op == SEND else result

    def send_nowait(self, item):
        self.rt.now_or_never((self, SEND, item))

    def recv_nowait(self):
        return self.rt.now_or_never((self, RECV, None))

    def close(self):
        """No more sends; receivers drain what is left, then get `Closed`."""
        rt = self.rt
        with rt.guard:
            self.contents = rules.close(self.contents)
            rt.committed(rt.me(), "close", self, None)

    def __len__(self):
        return len(self.contents[0])

    def statistics(self):
        """Depth, capacity, and who waits on each end (the wait-for graph's raw material)."""
        with self.rt.guard:
            waiting = self.rt.waiters(self)
            return {"name": self.name, "depth": len(self), "capacity": self.capacity,
                    "closed": self.closed, "waiting_send": waiting.get(SEND, []),
                    "waiting_recv": waiting.get(RECV, [])}

    def history(self):
        """(time, depth) after every send and receive on this channel, from the run's trace."""
        return [(e.t, e.depth) for e in self.rt.events or () if e.chan == self.name
                and e.op in (SEND, RECV)]

    def __repr__(self):
        return f"<Chan {self.name} {len(self)}/{self.capacity}{' closed' if self.closed else ''}>"


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
