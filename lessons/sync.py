"""Locks (forks and the like) and a counting semaphore, that know who holds and who waits.

Like the channels, they keep their state under their runtime's `guard`, and the runtime
decides how a waiter waits. They refuse what would surely hang: acquiring a lock you
already hold, or releasing one you do not.
"""
from .chan import positive_int
from .errors import Misuse

ACQUIRE = "acquire"


class Held:
    """What a lock and a semaphore share: `with` takes and gives back; who waits."""

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()

    def _waiting(self):
        return self.rt.waiters(self).get(ACQUIRE, [])


class Lock(Held):
    """A mutual-exclusion lock with an owner. `with lock:` acquires and releases."""

    def __init__(self, rt, name):
        self.rt, self.name = rt, name
        self.owner = None    # the Actor holding it, or None
        self.waiting = []    # threads runtime: actors to wake when it is released
        rt._register(self)

    def _ready(self, op):
        return self.owner is None

    def _commit(self, op, value, actor):
        self.owner = actor
        if self.rt.events is not None:
            self.rt._record(actor, ACQUIRE, self.name, None, 1)
        return True

    def _partners(self, op):
        return (self.owner.name,) if self.owner is not None else ()

    def acquire(self, timeout=None):
        """Wait until the lock is free and take it; `Timeout` after `timeout` seconds."""
        self._refuse_reentry()
        self.rt.wait(((self, ACQUIRE, None),), timeout)

    def acquire_nowait(self):
        """Take the lock if it is free, else raise WouldBlock (a "try lock")."""
        self._refuse_reentry()
        self.rt.now_or_never((self, ACQUIRE, None))

    def release(self):
        rt = self.rt
        with rt.guard:
            me = rt.me()
            if self.owner is not me:
                holder = self.owner.name if self.owner else "nobody"
                raise Misuse(f"{me.name} released {self.name}, which is held by {holder}")
            self.owner = None
            if self.waiting:
                rt._wake(self)
            if rt.events is not None:
                rt._record(me, "release", self.name, None, 0)

    def _refuse_reentry(self):
        me = self.rt.me()
        if self.owner is me:
            raise Misuse(f"{me.name} already holds {self.name}; acquiring it again would wait forever")

    def statistics(self):
        with self.rt.guard:
            return {"name": self.name, "owner": self.owner.name if self.owner else None,
                    "waiting": self._waiting()}

    def __repr__(self):
        return f"<Lock {self.name} held by {self.owner.name if self.owner else 'nobody'}>"


class Semaphore(Held):
    """At most `capacity` holders at once (a waiter who seats N-1 philosophers, say)."""

    def __init__(self, rt, name, capacity):
        self.rt, self.name = rt, name
        self.capacity = positive_int(f"{name} capacity", capacity)
        self.holders = []    # Actors, one entry per acquire
        self.waiting = []    # threads runtime: actors to wake when a holder leaves
        rt._register(self)

    def _ready(self, op):
        return len(self.holders) < self.capacity

    def _commit(self, op, value, actor):
        self.holders.append(actor)
        if self.rt.events is not None:
            self.rt._record(actor, ACQUIRE, self.name, None, len(self.holders))
        return True

    def _partners(self, op):
        return tuple(dict.fromkeys(a.name for a in self.holders))

    def acquire(self, timeout=None):
        self.rt.wait(((self, ACQUIRE, None),), timeout)

    def acquire_nowait(self):
        self.rt.now_or_never((self, ACQUIRE, None))

    def release(self):
        rt = self.rt
        with rt.guard:
            me = rt.me()
            if me not in self.holders:
                raise Misuse(f"{me.name} released {self.name} without holding it")
            self.holders.remove(me)
            if self.waiting:
                rt._wake(self)
            if rt.events is not None:
                rt._record(me, "release", self.name, None, len(self.holders))

    def statistics(self):
        with self.rt.guard:
            return {"name": self.name, "holders": [a.name for a in self.holders],
                    "capacity": self.capacity, "waiting": self._waiting()}
