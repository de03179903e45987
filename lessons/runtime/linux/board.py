"""The status board: every actor's state and pending cases, in memory the run's processes share.

Each actor (in whichever process it runs) writes only its own slot: its state, since
when, its thread id, and the (channel, operation) of each case it waits on. The watcher
in the caller reads every slot at any moment without stopping anyone and without a
channel that could fill up: a memfd mapped by all the processes. A slot is written under
a sequence count (odd while being written), so a reader never takes half of an update.
The header holds what the run's processes tell the caller once: a port they listen on,
and a count of answers. The actors' and channels' names are the run's own (every
process makes its Board with the same lists).
"""
import mmap
import os
import struct
import time
from collections import namedtuple

from lessons.analysis.waitfor import BLOCKED, FINISHED, IDLE, READY, RUNNING, SLEEPING

OPS = ("send", "recv")
STATES = (READY, RUNNING, BLOCKED, SLEEPING, IDLE, FINISHED)
MAX_CASES = 8

HEADER = struct.Struct("=IId")          # port, answered, unused
SLOT = struct.Struct("=IBBBxddi" + "BB" * MAX_CASES)
SLOT_SIZE = 64
TORN_TRIES = 1000

Slot = namedtuple("Slot", "actor state since deadline tid cases")
Slot.__doc__ = ("One actor as published: `cases` is ((channel, op), ...) while it waits; "
                "`deadline` > 0 when its wait has a timeout.")


class Board:
    """The shared memory of one run: `Board.create(actors, channels)` in the caller,
    `Board(fd, actors, channels)` in a child it handed the fd to."""

    def __init__(self, fd, actors, channels):
        self.fd, self.actors, self.channels = fd, tuple(actors), tuple(channels)
        self.mem = mmap.mmap(fd, size(self.actors))
        self.seqs = {}   # actor -> this process's count of writes to its slot

    @classmethod
    def create(cls, actors, channels):
        fd = os.memfd_create("lessons-board", 0)   # not inherited unless handed over
        os.ftruncate(fd, size(actors))
        return cls(fd, actors, channels)

    def close(self):
        self.mem.close()
        os.close(self.fd)

    # -- the header ---------------------------------------------------------------------
    def set_port(self, port):
        struct.pack_into("=I", self.mem, 0, port)

    def port(self):
        return struct.unpack_from("=I", self.mem, 0)[0]

    def count_answer(self):
        """One more request answered (only the shim goroutine that calls the engine writes)."""
        struct.pack_into("=I", self.mem, 4, self.answered() + 1)

    def answered(self):
        return struct.unpack_from("=I", self.mem, 4)[0]

    # -- the slots ----------------------------------------------------------------------
    def publish(self, actor, state, cases=(), deadline=0.0, tid=None):
        """Write `actor`'s slot (called only from that actor's own thread)."""
        at = HEADER.size + SLOT_SIZE * self.actors.index(actor)
        seq = self.seqs.get(actor, 0) + 1
        flat = []
        for chan, op in cases[:MAX_CASES]:
            flat += [self.channels.index(chan), OPS.index(op)]
        flat += [0, 0] * (MAX_CASES - len(cases))
        struct.pack_into("=I", self.mem, at, seq * 2 - 1)          # odd: being written
        SLOT.pack_into(self.mem, at, seq * 2 - 1, STATES.index(state), len(cases), 0,
                       time.monotonic(), deadline or 0.0,
                       tid if tid is not None else 0, *flat)
        struct.pack_into("=I", self.mem, at, seq * 2)              # even: complete
        self.seqs[actor] = seq

    def read(self, actor):
        """`actor`'s slot as last completely written, and its sequence count.

        A writer that died in the middle of a write (its process exited) leaves the
        count odd for good: after a few tries the slot is read as it stands.
        """
        at = HEADER.size + SLOT_SIZE * self.actors.index(actor)
        for _ in range(TORN_TRIES):
            fields = SLOT.unpack_from(self.mem, at)
            seq = fields[0]
            if seq % 2 == 0 and struct.unpack_from("=I", self.mem, at)[0] == seq:
                break
            time.sleep(0)   # a writer is in the middle of it: let it finish
        _, state, count, _, since, deadline, tid, *flat = fields
        cases = tuple((self.channels[flat[2 * i]], OPS[flat[2 * i + 1]]) for i in range(count))
        state = STATES[state] if seq else READY
        return Slot(actor, state, since, deadline, tid, cases), seq

    def snapshot(self):
        """{actor: (Slot, seq)} for every actor."""
        return {actor: self.read(actor) for actor in self.actors}


def size(actors):
    return HEADER.size + SLOT_SIZE * len(actors)
