"""Waiter (an arbitrator): ask the waiter for a seat first; he seats at most N-1 at once.

Breaks hold and wait at the table level: with one seat empty, the philosophers seated
cannot all hold one fork and wait for another; someone seated always gets both forks.
"""
from . import naive
from .strategy import Strategy


def setup(table):
    return table.rt.semaphore("waiter", table.n - 1)


def pick_up(table, i):
    table.shared.acquire()    # the one change from naive: a seat before the forks
    naive.pick_up(table, i)


def put_down(table, i):
    naive.put_down(table, i)
    table.shared.release()


WAITER = Strategy("waiter", breaks="hold and wait", pick_up=pick_up, put_down=put_down,
                  setup=setup)
