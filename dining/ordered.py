"""Ordered (Dijkstra's resource hierarchy): take the lower-numbered fork first.

Breaks circular wait. Everyone but p0 takes left then right as before; p0's forks are
f(N-1) and f0, so p0 reaches right first. A cycle of waits would need someone to hold a
higher fork while waiting for a lower one, and nobody ever does.
"""
from . import naive
from .strategy import Strategy


def pick_up(table, i):
    for fork in sorted((table.left(i), table.right(i))):   # the one change from naive
        table.take(fork)


ORDERED = Strategy("ordered", breaks="circular wait", pick_up=pick_up,
                   put_down=naive.put_down)
