"""Locks (forks and the like) and a counting semaphore, that know who holds and who waits.

Like the channels, they keep plain contents (the holder's name, the holders' names)
changed only by rules.py, under their runtime's `guard`, and the runtime decides how a
waiter waits. They refuse what would surely hang: acquiring a lock you already hold, or
releasing one you do not.
"""
from . import rules
from .base import Primitive
from .chan import positive_int
from .errors import Misuse
from .rules import ACQUIRE


class Held(Primitive):
    """What a lock and a semaphore share: acquire, release, `with`, who waits."""

    def acquire(self, timeout=None):
        """Wait until it can be taken and take it; `Timeout` after `timeout` seconds."""
        self._refuse_reentry()
        self.rt.wait_one(self, ACQUIRE, None, timeout)

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

    def __exit__(self, *exc):
        self.release()

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
