"""What each primitive allows and does, as plain functions on plain values: the one copy.

A primitive's *contents* are plain, hashable values:
    channel    (items, closed): a tuple of items, oldest first, and whether it is closed
    lock       the name of the actor holding it, or None
    semaphore  a tuple of its holders' names, one entry per acquire

The channel and the locks (chan.py, sync.py) keep their state this way and change it only
through these rules; the runtimes ask them who could release a waiter; the explorer
applies them to the states it holds. So a move does the same thing in a run and in a
search, and a search state is just these values side by side.
"""
from .errors import Closed, Misuse

SEND, RECV, ACQUIRE = "send", "recv", "acquire"
CHAN, LOCK, SEMAPHORE = "chan", "lock", "semaphore"
KINDS = (CHAN, LOCK, SEMAPHORE)
EMPTY = {CHAN: ((), False), LOCK: None, SEMAPHORE: ()}


def chan_ready(capacity, contents, op):
    items, closed = contents
    return closed or (len(items) < capacity if op == SEND else bool(items))


def lock_ready(capacity, contents, op):
    return contents is None


def semaphore_ready(capacity, contents, op):
    return len(contents) < capacity


# Could a case (`op`) on a primitive of this kind complete now? (capacity, contents, op)
READY = {CHAN: chan_ready, LOCK: lock_ready, SEMAPHORE: semaphore_ready}


def chan_commit(name, ends, contents, op, value, who, outside):
    if ends is not None and who not in ends and not outside:
        raise Misuse(f"{who} tried to {op} on {name}, whose {op} end belongs "
                     f"to {', '.join(ends) or 'nobody'}; declare it there, or the "
                     "wait-for analysis would be wrong")
    items, closed = contents
    if op == SEND:
        if closed:
            raise Closed(f"{who} sent on {name} after it was closed")
        return (items + (value,), closed), None
    if not items:
        raise Closed(f"{name} is closed and empty")
    return (items[1:], closed), items[0]


def lock_commit(name, ends, contents, op, value, who, outside):
    return who, True


def semaphore_commit(name, ends, contents, op, value, who, outside):
    return contents + (who,), True


COMMIT = {CHAN: chan_commit, LOCK: lock_commit, SEMAPHORE: semaphore_commit}


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


def partners(kind, ends, contents):
    """The names whose next move could complete a waiting case: a channel's other end
    (`ends`, None when undeclared: anyone might), a lock's owner, a semaphore's holders."""
    if kind == CHAN:
        return ends
    if kind == LOCK:
        return (contents,) if contents is not None else ()
    return tuple(dict.fromkeys(contents))


def chan_depth(contents):
    return len(contents[0])


def lock_depth(contents):
    return int(contents is not None)


DEPTH = {CHAN: chan_depth, LOCK: lock_depth, SEMAPHORE: len}


def depth(kind, contents):
    """How full: items in a channel, 1 for a held lock, holders of a semaphore."""
    return DEPTH[kind](contents)
