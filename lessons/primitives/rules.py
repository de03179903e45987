"""What each primitive allows and does, as plain functions on plain values: the one copy.

A primitive's *contents* are plain, hashable values:
    channel    (items, closed): a tuple of items, oldest first, and whether it is closed
    lock       the name of the actor holding it, or None
    semaphore  a tuple of its holders' names, one entry per acquire
    rendezvous (pending, closed): an unbuffered channel; `pending` holds (sender, item) of
               each sender waiting for a receiver to take its item, oldest first
    rwlock     (readers, writer, writing): the readers' names, one entry per read lock;
               the writer who claimed it (None: no writer) and whether it writes yet
    waitgroup  its counter
    cond       (waiting, signalled): the names of the actors in wait(), in order, not yet
               signalled, and those signalled who have not woken yet

Go's vocabulary (DESIGN.md) as moves of the same shape. Operations that never wait (a
release, a close, a wait-group's add, a condition's signal, an unbuffered send's offer)
are *changes*: `change()` below, one table, Misuse where Go would panic. A wait whose
readiness depends on who waits (an unbuffered sender waits for its own item to be taken;
a condition's waiter for its own signal) carries the waiter's name as the case's value.

The channel and the locks (chan.py, sync.py) keep their state this way and change it only
through these rules; the runtimes ask them who could release a waiter; the explorer
applies them to the states it holds. So a move does the same thing in a run and in a
search, and a search state is just these values side by side.
"""
from .errors import Closed, Misuse

SEND, RECV, ACQUIRE = "send", "recv", "acquire"
READ, DRAIN, WAIT = "acquire_read", "drain", "wait"   # rwlock's read and a writer's
                                                       # wait for readers; waitgroup, cond
CHAN, LOCK, SEMAPHORE = "chan", "lock", "semaphore"
RENDEZVOUS, RWLOCK, WAITGROUP, COND = "rendezvous", "rwlock", "waitgroup", "cond"
KINDS = (CHAN, LOCK, SEMAPHORE, RENDEZVOUS, RWLOCK, WAITGROUP, COND)
EMPTY = {CHAN: ((), False), LOCK: None, SEMAPHORE: (), RENDEZVOUS: ((), False),
         RWLOCK: ((), None, False), WAITGROUP: 0, COND: ((), ())}
# A receive case's value says what a closed, drained channel gives: None (recv: Closed),
# SELECTED (select: the case completes with None) or OK (recv_ok: (None, False)).
SELECTED, OK = "select", "ok"


def chan_ready(capacity, contents, op, value=None):
    items, closed = contents
    return closed or (len(items) < capacity if op == SEND else bool(items))


def lock_ready(capacity, contents, op, value=None):
    return contents is None


def semaphore_ready(capacity, contents, op, value=None):
    return len(contents) < capacity


def rendezvous_ready(capacity, contents, op, value=None):
    pending, closed = contents
    if op == SEND:      # `value`: the sender, waiting for its item to be taken
        return closed or all(who != value for who, _ in pending)
    return closed or bool(pending)


def rwlock_ready(capacity, contents, op, value=None):
    readers, writer, _ = contents
    return not readers if op == DRAIN else writer is None   # a claimed writer bars readers


def waitgroup_ready(capacity, contents, op, value=None):
    return contents == 0


def cond_ready(capacity, contents, op, value=None):
    return value in contents[1]     # `value`: the waiter, woken by a signal of its own


# Could a case (`op`, `value`) on a primitive of this kind complete now?
# (capacity, contents, op, value)
READY = {CHAN: chan_ready, LOCK: lock_ready, SEMAPHORE: semaphore_ready,
         RENDEZVOUS: rendezvous_ready, RWLOCK: rwlock_ready, WAITGROUP: waitgroup_ready,
         COND: cond_ready}


def check_end(name, ends, op, who, outside):
    if ends is not None and who not in ends and not outside:
        raise Misuse(f"{who} tried to {op} on {name}, whose {op} end belongs "
                     f"to {', '.join(ends) or 'nobody'}; declare it there, or the "
                     "wait-for analysis would be wrong")


def drained(name, value):
    """What a receive on a closed, drained channel gives, by its case's value."""
    if value == SELECTED:
        return None
    if value == OK:
        return None, False
    raise Closed(f"{name} is closed and empty")


def chan_commit(name, ends, contents, op, value, who, outside):
    if ends is not None:    # no declared ends: anyone may, and nothing to check
        check_end(name, ends, op, who, outside)
    items, closed = contents
    if op == SEND:
        if closed:
            raise Closed(f"{who} sent on {name} after it was closed")
        return (items + (value,), closed), None
    if not items:
        return contents, drained(name, value)
    # A plain recv's None first: None == OK is Python's slowest kind of comparison.
    return (items[1:], closed), (items[0], True) if value is not None and value == OK else items[0]


def rendezvous_commit(name, ends, contents, op, value, who, outside):
    """A receiver takes the oldest offered item (its sender may then go on); a sender's
    wait completes once its item was taken. Once closed, nobody takes an offer, and a
    sender still waiting gets Closed, as Go's blocked sender panics."""
    check_end(name, ends, op, who, outside)
    pending, closed = contents
    if op == SEND:
        if any(sender == who for sender, _ in pending):   # closed before it was taken
            raise Closed(f"{who} sent on {name} after it was closed")
        return contents, None
    if closed:
        return contents, drained(name, value)
    item = pending[0][1]
    return (pending[1:], closed), (item, True) if value == OK else item


def rwlock_commit(name, ends, contents, op, value, who, outside):
    readers, writer, writing = contents
    if op == READ:
        return (readers + (who,), writer, writing), True
    if op == ACQUIRE:   # the writer's claim: it writes at once when nobody reads
        return (readers, who, not readers), not readers
    return (readers, writer, True), True


def waitgroup_commit(name, ends, contents, op, value, who, outside):
    return contents, None


def cond_commit(name, ends, contents, op, value, who, outside):
    waiting, signalled = contents
    i = signalled.index(who)
    return (waiting, signalled[:i] + signalled[i + 1:]), None


def lock_commit(name, ends, contents, op, value, who, outside):
    return who, True


def semaphore_commit(name, ends, contents, op, value, who, outside):
    return contents + (who,), True


COMMIT = {CHAN: chan_commit, LOCK: lock_commit, SEMAPHORE: semaphore_commit,
          RENDEZVOUS: rendezvous_commit, RWLOCK: rwlock_commit, WAITGROUP: waitgroup_commit,
          COND: cond_commit}


def commit(kind, name, ends, contents, op, value, who, outside=False):
    """Perform a case that is ready: (new contents, what the actor gets back).

    `ends`: the names that may use this end of a channel (None: anyone). Raises Misuse
    for an undeclared end, Closed for a send on a closed channel or a receive from a
    closed, empty one."""
    return COMMIT[kind](name, ends, contents, op, value, who, outside)


def release(kind, name, contents, who):
    """The contents after `who` gives back a lock or a semaphore; Misuse if it holds none."""
    if kind == LOCK:
        if contents != who:
            raise Misuse(f"{who} released {name}, which is held by {contents or 'nobody'}")
        return None
    if who not in contents:
        raise Misuse(f"{who} released {name} without holding it")
    i = contents.index(who)
    return contents[:i] + contents[i + 1:]


def close(contents):
    """A channel's contents once closed: receivers drain what is left."""
    return contents[0], True


def offer(name, ends, contents, op, value, who, outside):
    """An unbuffered send offers its item (then waits for a receiver to take it)."""
    check_end(name, ends, SEND, who, outside)
    pending, closed = contents
    if closed:
        raise Closed(f"{who} sent on {name} after it was closed")
    return pending + ((who, value),), closed


def release_write(name, ends, contents, op, value, who, outside):
    readers, writer, writing = contents
    if writer != who or not writing:
        raise Misuse(f"{who} released the write lock of {name}, which "
                     f"{'is held by ' + writer if writing else 'nobody holds'}")
    return readers, None, False


def release_read(name, ends, contents, op, value, who, outside):
    readers, writer, writing = contents
    if who not in readers:
        raise Misuse(f"{who} released the read lock of {name} without holding it")
    i = readers.index(who)
    return readers[:i] + readers[i + 1:], writer, writing


def add(name, ends, contents, op, value, who, outside):
    if contents + value < 0:
        raise Misuse(f"{name} would go below zero ({contents} {value:+d}): done() was called "
                     "more times than add() counted")
    return contents + value


def enqueue(name, ends, contents, op, value, who, outside):
    return contents[0] + (who,), contents[1]


def signal(name, ends, contents, op, value, who, outside):
    """Wake the longest waiter; with nobody waiting the signal is lost, as in Go."""
    waiting, signalled = contents
    return waiting[1:], signalled + waiting[:1]


def broadcast(name, ends, contents, op, value, who, outside):
    waiting, signalled = contents
    return (), signalled + waiting


# The operations that never wait, by (kind, op): a function of the contents, like commit.
CHANGE = {(RENDEZVOUS, "offer"): offer, (RWLOCK, "release"): release_write,
          (RWLOCK, "release_read"): release_read, (WAITGROUP, "add"): add,
          (COND, "enqueue"): enqueue, (COND, "signal"): signal, (COND, "broadcast"): broadcast}


def change(kind, name, ends, contents, op, value, who, outside=False):
    """The contents after `who` does `op` (with `value`), which never waits; Misuse (or
    Closed, for an offer on a closed channel) where Go would panic."""
    return CHANGE[kind, op](name, ends, contents, op, value, who, outside)


def partners(kind, ends, contents, op=None):
    """The names whose next move could complete a waiting case: a channel's other end
    (`ends`, None when undeclared: anyone might), a lock's owner, a semaphore's holders;
    a read-write lock's writer (for a reader or another writer) or its readers (for the
    writer who waits for them to leave); anyone for a wait-group's done() and a
    condition's signal (None)."""
    if kind in (CHAN, RENDEZVOUS, WAITGROUP, COND):
        return ends
    if kind == LOCK:
        return (contents,) if contents is not None else ()
    if kind == RWLOCK:
        readers, writer, _ = contents
        return tuple(dict.fromkeys(readers)) if op == DRAIN else (writer,) if writer else ()
    return tuple(dict.fromkeys(contents))


def chan_depth(contents):
    return len(contents[0])


def lock_depth(contents):
    return int(contents is not None)


def rwlock_depth(contents):
    return len(contents[0]) + int(contents[2])


def waitgroup_depth(contents):
    return contents


DEPTH = {CHAN: chan_depth, LOCK: lock_depth, SEMAPHORE: len, RENDEZVOUS: chan_depth,
         RWLOCK: rwlock_depth, WAITGROUP: waitgroup_depth, COND: chan_depth}


def depth(kind, contents):
    """How full: items in a channel (senders waiting on an unbuffered one), 1 for a held
    lock, holders of a semaphore or of a read-write lock, a wait-group's counter, a
    condition's waiters."""
    return DEPTH[kind](contents)
