"""Trylock: take the left fork, try the right one; if it is taken, put the left one back.

Breaks no preemption: a philosopher who cannot get his second fork gives up the first
(after holding it a moment, hoping), so no wait lasts forever. No deadlock, but an
unlucky schedule can make everyone take, fail and put back in step, again and again:
a livelock.
"""
from . import naive
from .strategy import Strategy


def pick_up(table, i):
    while True:
        table.take(table.left(i))
        if table.try_take(table.right(i)):    # the change from naive: try, never wait
            return
        table.put_back(table.left(i))


TRYLOCK = Strategy("trylock", breaks="no preemption", pick_up=pick_up,
                   put_down=naive.put_down, searchable=False)   # see Strategy.searchable
