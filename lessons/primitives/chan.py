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
from .errors import Closed, Misuse, Timeout
from .rules import OK, RECV, SELECTED, SEND


def positive_int(knob, value, upper=None):
    """Return `value` if it is a whole number >= 1 (and <= upper), else a ValueError naming the knob."""
    bounds = f"between 1 and {upper}" if upper else "at least 1"
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (upper and value > upper):
        raise ValueError(f"{knob} must be a whole number {bounds}, got {value!r}")
    return value


def declared(ends_of):
    """Only the ends declared: an end nobody declared is missing (anyone may), so a channel
    with none has an empty `ends_of` and its hot path looks nothing up."""
    return {op: ends for op, ends in ends_of.items() if ends is not None}


class ChanOps:
    """What a channel offers on top of its `wait_one` and its waiter's `wait`: shared by
    `Chan` and the processes runtime's `PipeChan` (pipechan.py), whose waiter waits on
    pipes. `self.rt` is that runtime or waiter."""

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
        self.wait_one(SEND, item, timeout)

    def recv(self, timeout=None):
        """Take the front item, waiting while the channel is empty."""
        return self.wait_one(RECV, None, timeout)

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
        self.ends_of = declared({SEND: self.senders, RECV: self.receivers})
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

    def recv_ok(self, timeout=None):
        """(item, True), or (None, False) once the channel is closed and drained: Go's
        `v, ok := <-ch`."""
        return self.wait_one(RECV, OK, timeout)

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


class Rendezvous(Chan):
    """An unbuffered channel (Go's `make(chan T)`): a send completes only when a receiver
    takes the item. The sender offers its item (a change, rules.offer) and waits until it
    is taken; a receiver takes the oldest offer. `len()` counts the senders waiting."""
    kind = rules.RENDEZVOUS

    def __init__(self, rt, name, senders=None, receivers=None):
        self.capacity = 0
        self.senders = tuple(senders) if senders is not None else None
        self.receivers = tuple(receivers) if receivers is not None else None
        self.ends_of = declared({SEND: self.senders, RECV: self.receivers, "offer": self.senders})
        Primitive.__init__(self, rt, name)

    def traced_item(self, op, value, result):
        return None if op == SEND else result    # a send's case value is its sender

    def sending(self, item):
        raise Misuse(f"select cannot send on the unbuffered channel {self.name} here: "
                     "use a plain send(), or a buffered channel")

    def send(self, item, timeout=None):
        """Offer `item` and wait until a receiver takes it."""
        self.change("offer", item)
        self.wait_one(SEND, self.rt.me().name, timeout)

    def send_nowait(self, item):
        raise Misuse(f"send_nowait on the unbuffered channel {self.name} could never "
                     "complete at once: use select(..., default=True) on a receive instead")

    def __repr__(self):
        return f"<Chan {self.name} unbuffered{' closed' if self.closed else ''}>"


class After:
    """Go's `time.After(d)`: receives one item (the time it fired) `seconds` after it was
    made. It is a timer, not a primitive: a receive on it is a sleep, and in `select` it is
    the select's timeout, so the sim's virtual clock and the explorer handle it as any
    timeout (a wait with a timer still counts as waiting in the wait-for analysis)."""

    def __init__(self, rt, name, seconds):
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise ValueError(f"{name} seconds must be a number at least 0, got {seconds!r}")
        self.rt, self.name = rt, name
        self.due = rt.now() + seconds
        self.fired = False

    def receiving(self):
        return (self, RECV, None)

    def recv(self):
        self._fire()
        self.rt.sleep(max(0.0, self.due - self.rt.now()))
        return self.due

    def _fire(self):
        if self.fired:
            raise Misuse(f"{self.name} has fired already; a time.After channel gives one item")
        self.fired = True

    def __repr__(self):
        return f"<After {self.name} at t={self.due:g}>"


def select(*cases, timeout=None, default=False):
    """Wait until one of the cases can complete, do it, and return (index, value).

    As in Go, when several cases are ready the choice is random (seeded in sim). In sim
    each ready case is a separate scheduling choice, so a schedule string fixes it too.
    A receive case on a closed, drained channel is ready and gives (i, None). With
    `default=True` it never waits: (None, None) when no case is ready at its move (Go's
    `default:`). A case on an `After` is the select's timer: (i, the time it fired).
    """
    if not cases:
        raise ValueError("select needs at least one case")
    timers = [(i, case[0]) for i, case in enumerate(cases) if isinstance(case[0], After)]
    waits = [(i, (p, op, SELECTED if op == RECV else v))
             for i, (p, op, v) in enumerate(cases) if not isinstance(p, After)]
    rt = cases[0][0].rt
    if any(prim.rt is not rt for prim, _, _ in cases):
        raise ValueError("select cases must all belong to one runtime")
    timer = min(timers, key=lambda t: t[1].due) if timers else None
    if not waits:
        return timer[0], timer[1].recv()
    if default:
        timeout = 0
    elif timer is not None:
        left = max(0.0, timer[1].due - rt.now())
        timeout, timer_first = ((left, True) if timeout is None or left <= timeout
                                else (timeout, False))
    try:
        k, value = rt.wait(tuple(case for _, case in waits), timeout)
    except Timeout:
        if default:
            return None, None
        if timer is None or not timer_first:
            raise
        timer[1]._fire()
        return timer[0], timer[1].due
    return waits[k][0], value
