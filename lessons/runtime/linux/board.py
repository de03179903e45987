"""The status board: every actor's state and pending cases, in memory the run's processes share.

Each actor (in whichever process it runs) writes only its own slot: its state, since
when, its thread id, and the (channel, operation) of each case it waits on. The watcher
in the caller reads every slot at any moment without stopping anyone and without a
channel that could fill up: a memfd mapped by all the processes. A slot is written under
a sequence count (odd while being written), so a reader never takes half of an update.
The header holds what the run's processes tell the caller: that the shim listens, and a
count of answers. The memfd has no name in any directory; another user cannot open it
(/proc/PID/fd is its owner's only). The actors' and channels' names are the run's own (every
process makes its Board with the same lists).

After the slots, a table of pipes: for each channel, the pipes that carry it now (the
process that reads each one, its fd there and its inode), so the caller can read each
pipe's real depth from /proc while the run goes on (the control room's gauges). Only the
reading process writes a pipe's entry (one process per channel); the inode goes in last
and out first, and a reader checks it against the pipe it opens, so a torn or stale
entry is never taken for another pipe.
"""
import mmap
import os
import struct
import threading
import time
from collections import namedtuple

from lessons.analysis.waitfor import BLOCKED, FINISHED, IDLE, READY, RUNNING, SLEEPING

OPS = ("send", "recv")
STATES = (READY, RUNNING, BLOCKED, SLEEPING, IDLE, FINISHED)
MAX_CASES = 8

HEADER = struct.Struct("=IId")          # listening, answered, unused
SLOT = struct.Struct("=IBBBxddi" + "BB" * MAX_CASES)
SLOT_SIZE = 64
TORN_TRIES = 1000
PIPE = struct.Struct("=iiQ")            # pid, fd, inode (0: a free entry)
MAX_PIPES = 16   # per channel: the stream has one pipe per open call, and the shim serves
                 # at most 16 calls at once (story/processes/grpc_wire.py WORKERS)

Slot = namedtuple("Slot", "actor state since deadline tid cases")
Slot.__doc__ = ("One actor as published: `cases` is ((channel, op), ...) while it waits; "
                "`deadline` > 0 when its wait has a timeout.")


class Board:
    """The shared memory of one run: `Board.create(actors, channels)` in the caller,
    `Board(fd, actors, channels)` in a child it handed the fd to."""

    def __init__(self, fd, actors, channels):
        self.fd, self.actors, self.channels = fd, tuple(actors), tuple(channels)
        self.mem = mmap.mmap(fd, size(self.actors, self.channels))
        self.seqs = {}   # actor -> this process's count of writes to its slot
        self.table_lock = threading.Lock()   # this process's threads share its pipe entries

    @classmethod
    def create(cls, actors, channels):
        fd = os.memfd_create("lessons-board", 0)   # not inherited unless handed over
        os.ftruncate(fd, size(actors, channels))
        return cls(fd, actors, channels)

    def close(self):
        self.mem.close()
        os.close(self.fd)

    # -- the header ---------------------------------------------------------------------
    def set_listening(self):
        """The shim listens on its socket (only the shim writes this)."""
        struct.pack_into("=I", self.mem, 0, 1)

    def listening(self):
        return struct.unpack_from("=I", self.mem, 0)[0] == 1

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


    # -- the pipes behind each channel ---------------------------------------------------
    def _entries(self, channel):
        at = HEADER.size + SLOT_SIZE * len(self.actors) + \
            PIPE.size * MAX_PIPES * self.channels.index(channel)
        return range(at, at + PIPE.size * MAX_PIPES, PIPE.size)

    def show_pipe(self, channel, fd):
        """This process reads `channel` through `fd`: enter it in the table."""
        inode = os.fstat(fd).st_ino
        with self.table_lock:
            free = [at for at in self._entries(channel)
                    if struct.unpack_from("=Q", self.mem, at + 8)[0] == 0]
            if not free:
                raise RuntimeError(f"{channel}: more than {MAX_PIPES} pipes at once")
            struct.pack_into("=ii", self.mem, free[0], os.getpid(), fd)
            struct.pack_into("=Q", self.mem, free[0] + 8, inode)   # last: now it counts

    def hide_pipe(self, channel, fd):
        """This process is about to close `fd`, its read end of `channel`: take it out."""
        with self.table_lock:
            for at in self._entries(channel):
                pid, entry_fd, inode = PIPE.unpack_from(self.mem, at)
                if inode and pid == os.getpid() and entry_fd == fd:
                    struct.pack_into("=Q", self.mem, at + 8, 0)   # first: it counts no more

    def pipes(self, channel):
        """[(pid, fd, inode)] of the pipes that carry `channel` now, as their readers said."""
        found = [PIPE.unpack_from(self.mem, at) for at in self._entries(channel)]
        return [entry for entry in found if entry[2]]


def size(actors, channels):
    return HEADER.size + SLOT_SIZE * len(actors) + PIPE.size * MAX_PIPES * len(channels)
