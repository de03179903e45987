"""Naive: take the left fork, then the right one. Broken on purpose.

Breaks no Coffman condition, so all four hold: a fork serves one philosopher at a time
(mutual exclusion), a philosopher holds his left fork while he waits for the right one
(hold and wait), nobody takes a fork from its holder (no preemption), and when everyone
holds a left fork, each waits for his right neighbour (circular wait): deadlock.
"""
from .strategy import Strategy


def pick_up(table, i):
    table.take(table.left(i))
    table.take(table.right(i))


def put_down(table, i):
    table.drop(table.right(i))
    table.drop(table.left(i))


NAIVE = Strategy("naive", breaks="", pick_up=pick_up, put_down=put_down)
