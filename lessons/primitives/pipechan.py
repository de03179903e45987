"""A channel whose items travel through a pipe, with the operations of chan.py.

The engine and shim code call `send`, `recv`, `for item in chan` and `select(...)` on
these exactly as on a `Chan`; only how they wait differs. A process holds a channel's
ends it uses (`rfd` to receive, `wfd` to send), and its `Waiter` does the waiting:
- one case and no timeout: a plain blocking read() or write(), so the kernel shows the
  thread inside the pipe (wchan `pipe_read` / `pipe_write`);
- a timeout, or `select` over several cases: poll() on their fds; when several are
  ready, a seeded random choice among them, as Go's select picks at random.
The Waiter tells its `observers` what a thread is about to wait on and when it is done,
which is how a process publishes its actors' pending cases.

A channel's `codec` (pack(item) -> bytes, unpack(bytes) -> item) says what its records
hold (JSON of plain values unless told); unpack checks what arrives and raises
ValueError with a sentence when it is not well formed. Nothing read from a pipe is
unpickled.
"""
import random
import select
import time

from .chan import ChanOps
from .errors import Timeout, WouldBlock
from .pipes import PLAIN, decode, depth, encode, read_record, write_record
from .rules import RECV, SEND

POLL_FOR = {RECV: select.POLLIN, SEND: select.POLLOUT}
ENDED = select.POLLHUP | select.POLLERR   # the other side is gone: the operation ends now


class PipeChan(ChanOps):
    """One channel of the system, as one process sees it (the ends it holds)."""

    def __init__(self, rt, name, capacity, rfd=None, wfd=None, senders=None, receivers=None,
                 *, codec=PLAIN):
        self.rt, self.name, self.capacity, self.codec = rt, name, capacity, codec
        self.rfd, self.wfd = rfd, wfd
        self.senders = tuple(senders) if senders is not None else None
        self.receivers = tuple(receivers) if receivers is not None else None

    def fd(self, op):
        fd = self.rfd if op == RECV else self.wfd
        if fd is None:
            raise ValueError(f"this process holds no {'read' if op == RECV else 'write'} "
                             f"end of {self.name}, so it cannot {op} on it")
        return fd

    def transfer(self, op, value):
        """Do the operation now; it blocks in the kernel if the pipe is not ready."""
        if op == SEND:
            write_record(self.fd(SEND), encode(self.name, self.codec.pack(value)))
            return None
        body = decode(self.name, read_record(self.fd(RECV)))
        try:
            return self.codec.unpack(body)
        except ValueError as exc:
            raise ValueError(f"{self.name}: a malformed record arrived and was refused: "
                             f"{exc}") from None

    def wait_one(self, op, value, timeout=None):
        return self.rt.wait_one(self, op, value, timeout)

    def __len__(self):
        return depth(self.rfd if self.rfd is not None else self.wfd)

    def __repr__(self):
        return f"<PipeChan {self.name} cap {self.capacity} r={self.rfd} w={self.wfd}>"


class Waiter:
    """How one process's threads wait on pipes; observers see every wait begin and end."""

    def __init__(self, seed=0):
        self.rng = random.Random(seed)   # Go's random pick among ready select cases
        self.observers = []              # callables (event, cases, timeout): "wait" / "done"

    def _tell(self, event, cases, timeout):
        for observer in self.observers:
            observer(event, cases, timeout)

    def wait(self, cases, timeout=None):
        """Complete one of `cases` (chan, op, value); return (index, value received or None)."""
        self._tell("wait", cases, timeout)
        try:
            if len(cases) == 1 and timeout is None:
                chan, op, value = cases[0]
                return 0, chan.transfer(op, value)
            i = self._ready_one(cases, timeout)
            chan, op, value = cases[i]
            return i, chan.transfer(op, value)
        finally:
            self._tell("done", cases, timeout)

    def wait_one(self, chan, op, value, timeout=None):
        """`wait` for a single case; return what it gives back."""
        return self.wait(((chan, op, value),), timeout)[1]

    def _ready_one(self, cases, timeout):
        """Poll until some case is ready (or its pipe's other side is gone); pick one."""
        poller = select.poll()
        wanted = {}
        for i, (chan, op, _) in enumerate(cases):
            fd = chan.fd(op)
            wanted.setdefault(fd, []).append(i)
            poller.register(fd, POLL_FOR[op])
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            events = poller.poll(None if remaining is None else remaining * 1000)
            ready = [i for fd, flags in events if flags & (select.POLLIN | select.POLLOUT | ENDED)
                     for i in wanted[fd]]
            if ready:
                return ready[0] if len(ready) == 1 else self.rng.choice(sorted(ready))
            if deadline is not None and time.monotonic() >= deadline:
                chan, op, _ = cases[0]
                if timeout == 0:
                    raise WouldBlock(f"{op} on {chan.name} would wait")
                raise Timeout(f"{op} {chan.name} timed out after {timeout:g} s")
