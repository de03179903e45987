"""Chandy-Misra: forks are clean or dirty, and a hungry philosopher asks for what he lacks.

Breaks circular wait, and starves nobody. Each fork starts dirty with the lower-numbered
of its two philosophers, so "who yields to whom" starts without a cycle. A philosopher
keeps a clean fork but hands a dirty one over when asked, cleaning it; eating dirties
both his forks. So whoever just ate yields to a hungry neighbour, the order of yielding
never closes into a cycle, and no neighbour eats twice while you wait.

Requests and forks travel as messages through each philosopher's inbox `to.pI`. The forks
are still the table's locks: the giver puts one down before sending it and the receiver
lifts it when it arrives, so the picture shows who holds what.
"""
from dataclasses import dataclass, field

from lessons.primitives.errors import WouldBlock

from .strategy import Strategy

REQUEST, FORK = "request", "fork"
INBOX_CAPACITY = 4   # per shared fork, at most its request and the fork itself in flight


@dataclass
class Hands:
    """What one philosopher knows about his two forks (only he reads or writes it)."""
    held: set = field(default_factory=set)
    dirty: set = field(default_factory=set)
    asked: set = field(default_factory=set)   # requested, not arrived yet
    owed: set = field(default_factory=set)    # a neighbour asked; kept because clean


@dataclass
class Post:
    inboxes: list
    hands: list


def setup(table):
    inboxes = [table.rt.chan(f"to.{name}", INBOX_CAPACITY,
                             senders=[table.names[j] for j in table.neighbours(i)],
                             receivers=[name])
               for i, name in enumerate(table.names)]
    return Post(inboxes, [Hands() for _ in table.names])


def sit(table, i):
    """Lift the forks this philosopher starts with: each goes to its lower-numbered side."""
    hands = table.shared.hands[i]
    for fork in (table.left(i), table.right(i)):
        if i < table.across(i, fork):
            table.take(fork)
            hands.held.add(fork)
            hands.dirty.add(fork)


def pick_up(table, i):
    hands, inbox = table.shared.hands[i], table.shared.inboxes[i]
    while True:
        serve(table, i)
        missing = {table.left(i), table.right(i)} - hands.held
        if not missing:
            return
        for fork in sorted(missing - hands.asked):
            table.shared.inboxes[table.across(i, fork)].send((REQUEST, fork))
            hands.asked.add(fork)
        handle(table, i, inbox.recv())


def put_down(table, i):
    hands = table.shared.hands[i]
    hands.dirty |= hands.held
    for fork in sorted(hands.owed):
        give(table, i, fork)
    serve(table, i)


def leave(table, i):
    """Hand every fork still held to the neighbour across it: nobody will ask me again."""
    for fork in sorted(table.shared.hands[i].held):
        give(table, i, fork)


def serve(table, i):
    """Answer every message already waiting, without waiting for more."""
    inbox = table.shared.inboxes[i]
    while True:
        try:
            message = inbox.recv_nowait()
        except WouldBlock:
            return
        handle(table, i, message)


def handle(table, i, message):
    kind, fork = message
    hands = table.shared.hands[i]
    if kind == FORK:
        table.take(fork)
        hands.held.add(fork)        # it arrives clean
        hands.asked.discard(fork)
    elif fork in hands.dirty:
        give(table, i, fork)
    else:
        hands.owed.add(fork)


def give(table, i, fork):
    hands = table.shared.hands[i]
    for book in (hands.held, hands.dirty, hands.owed):
        book.discard(fork)
    table.drop(fork)
    table.shared.inboxes[table.across(i, fork)].send((FORK, fork))


CHANDY_MISRA = Strategy("chandy-misra", breaks="circular wait", pick_up=pick_up,
                        put_down=put_down, setup=setup, sit=sit, leave=leave)
