"""Each channel's real depth in a processes run, read from the kernel while it runs.

The board's pipe table says which pipes carry a channel now (the reader's pid, fd and
inode); /proc says how many records wait in each (FIONREAD over the record size) and
how many it holds (F_GETPIPE_SZ). A channel carried by several pipes (the stream: one
per open call) shows its fullest one, the one a blocked sender waits on.
"""
from collections import namedtuple

from . import kernel

Gauge = namedtuple("Gauge", "channel depth capacity pipes")
Gauge.__doc__ = ("One channel as the kernel holds it now: records waiting in its fullest "
                 "pipe, what that pipe holds, and how many pipes the board lists for it. "
                 "depth None: none of them could be read (no pipe, or its process has "
                 "just ended).")


def read_gauges(board, channels):
    """A Gauge per channel name."""
    gauges = []
    for name in channels:
        listed = board.pipes(name)
        seen = [s for s in (kernel.pipe_state(pid, fd, inode) for pid, fd, inode in listed)
                if s is not None]
        depth, capacity = max(seen) if seen else (None, None)
        gauges.append(Gauge(name, depth, capacity, len(listed)))
    return gauges
