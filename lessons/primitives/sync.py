"""Locks (forks and the like) and a counting semaphore, that know who holds and who waits;
and Go's sync vocabulary: RWMutex, WaitGroup, Cond.

Like the channels, they keep plain contents (the holder's name, the holders' names)
changed only by rules.py, under their runtime's `guard`, and the runtime decides how a
waiter waits. They refuse what would surely hang: acquiring a lock you already hold, or
releasing one you do not.
"""
from contextlib import contextmanager

from . import rules
from .base import Primitive
from .chan import positive_int
from .errors import Cancelled, Misuse
from .rules import ACQUIRE, DRAIN, READ, WAIT


class Held(Primitive):
    """What a lock and a semaphore share: acquire, release, `with`, who waits."""

    def acquire(self, timeout=None):
        """Wait until it can be taken and take it; `Timeout` after `timeout` seconds."""
        self._refuse_reentry()
        self.wait_one(ACQUIRE, None, timeout)

    def acquire_nowait(self):
        """Take it if it is free, else raise WouldBlock (a "try lock")."""
        self._refuse_reentry()
        self.rt.now_or_never((self, ACQUIRE, None))

    def release(self):
        rt = self.rt
        with rt.guard:
            me = rt.me()
            self.contents = rules.release(self.kind, self.name, self.contents, me.name)
            rt.committed(me, "release", self, None)

    def _refuse_reentry(self):
        pass

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, kind, *exc):
        try:
            self.release()
        except Misuse:
            # A run stopped while the block waited without the lock (in a condition's
            # wait): there is nothing to give back, and the stop goes on.
            if kind is not Cancelled:
                raise

    def _waiting(self):
        return self.rt.waiters(self).get(ACQUIRE, [])


class Lock(Held):
    """A mutual-exclusion lock with an owner. `with lock:` acquires and releases."""
    kind = rules.LOCK

    @property
    def owner(self):
        """The name of the actor holding it, or None."""
        return self.contents

    def _refuse_reentry(self):
        me = self.rt.me()
        if self.contents == me.name:
            raise Misuse(f"{me.name} already holds {self.name}; acquiring it again would wait forever")

    def statistics(self):
        with self.rt.guard:
            return {"name": self.name, "owner": self.owner, "waiting": self._waiting()}

    def __repr__(self):
        return f"<Lock {self.name} held by {self.owner or 'nobody'}>"


class Semaphore(Held):
    """At most `capacity` holders at once (a waiter who seats N-1 philosophers, say)."""
    kind = rules.SEMAPHORE

    def __init__(self, rt, name, capacity):
        self.capacity = positive_int(f"{name} capacity", capacity)
        super().__init__(rt, name)

    @property
    def holders(self):
        """The names of its holders, one entry per acquire."""
        return self.contents

    def statistics(self):
        with self.rt.guard:
            return {"name": self.name, "holders": list(self.holders),
                    "capacity": self.capacity, "waiting": self._waiting()}


class RWLock(Primitive):
    """Go's sync.RWMutex: many readers or one writer. A writer first claims the lock (no
    other writer may claim it meanwhile), which bars new readers at once, then waits for
    the readers inside to leave; so a reader that asks again while a writer waits waits
    behind the writer, as in Go."""
    kind = rules.RWLOCK

    def acquire_read(self, timeout=None):
        me = self.rt.me()
        if self.contents[1] == me.name:
            raise Misuse(f"{me.name} claimed the write lock of {self.name}; a read lock now "
                         "would wait forever")
        self.rt.wait(((self, READ, None),), timeout)

    def release_read(self):
        self.change("release_read")

    def acquire(self, timeout=None):
        """Claim the write lock, then wait for the readers to leave."""
        me = self.rt.me()
        if self.contents[1] == me.name:
            raise Misuse(f"{me.name} already holds the write lock of {self.name}; acquiring "
                         "it again would wait forever")
        _, writing = self.rt.wait(((self, ACQUIRE, None),), timeout)
        if not writing:
            self.rt.wait(((self, DRAIN, None),), timeout)

    def release(self):
        self.change("release")

    @contextmanager
    def reading(self):
        self.acquire_read()
        try:
            yield self
        finally:
            self.release_read()

    @contextmanager
    def writing(self):
        self.acquire()
        try:
            yield self
        finally:
            self.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()

    def __repr__(self):
        readers, writer, writing = self.contents
        return (f"<RWLock {self.name} readers {list(readers)} writer {writer or 'none'}"
                f"{'' if writing or not writer else ' (waiting for readers)'}>")


class WaitGroup(Primitive):
    """Go's sync.WaitGroup: add(n), done(), wait() until the counter is zero. add() works
    before the run too; a counter below zero is Misuse, as Go panics."""
    kind = rules.WAITGROUP

    def add(self, n=1):
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValueError(f"{self.name}.add takes a whole number, got {n!r}")
        self.change("add", n)

    def done(self):
        self.change("add", -1)

    def wait(self, timeout=None):
        self.rt.wait(((self, WAIT, None),), timeout)

    @property
    def count(self):
        return self.contents

    def __repr__(self):
        return f"<WaitGroup {self.name} {self.contents}>"


class Cond(Primitive):
    """Go's sync.Cond on `lock`: wait() (holding the lock) releases it, waits for a
    signal, and takes the lock back; signal() wakes the longest waiter, broadcast() all;
    a signal with nobody waiting is lost."""
    kind = rules.COND

    def __init__(self, rt, name, lock):
        if not isinstance(lock, Lock) or lock.rt is not rt:
            raise ValueError(f"{name} needs a lock of the same runtime, got {lock!r}")
        self.lock = lock
        super().__init__(rt, name)

    def wait(self):
        rt = self.rt
        with rt.guard:
            me = rt.me()
            if self.lock.contents != me.name:
                raise Misuse(f"{me.name} called {self.name}.wait() without holding "
                             f"{self.lock.name}")
        self.change("enqueue")      # before the release: a signal after it is not lost
        self.lock.release()
        rt.wait(((self, WAIT, me.name),))
        self.lock.acquire()

    def signal(self):
        self.change("signal")

    def broadcast(self):
        self.change("broadcast")

    def __repr__(self):
        return f"<Cond {self.name} waiting {list(self.contents[0])}>"
