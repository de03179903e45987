"""A table run one move at a time: what the widgets drive, usable without them.

    s = Session(philosophers=5, strategy="naive", seed=0)
    s.step()            # one move, chosen as dining.run(seed=...) would choose it
    s.result()          # the Result so far (outcome, meals, states, holders, cycle, ...)
    s.close()           # ends every thread

The sim runs in step mode and the session picks each move with the same seeded random
policy as `dining.run`, so stepping a session to the end gives exactly that run.
"""
from lessons.runtime.schedule import RandomPolicy

from . import picture as pictures
from .dinner import Dinner, collect
from .table import build_table


class Session:
    def __init__(self, philosophers=5, strategy="naive", meals=3, seed=0):
        self.dinner = Dinner(philosophers, strategy, meals, "sim", seed)
        self.table = build_table(philosophers, strategy, meals, "sim", seed, policy="step")
        self.chooser = RandomPolicy(seed)
        self.rt = self.table.rt
        self.rt.resume()    # starts the philosophers; pauses at the first choice

    def step(self):
        """Make one move; False when the run is over (nothing can move)."""
        moves = list(self.rt.offer())
        if not moves:
            return False
        self.rt.step(self.chooser.choose(moves, self.rt))
        return True

    def over(self):
        return not self.rt.offer()

    def run(self, max_moves=10_000):
        """Step until the run is over (or max_moves); return the result."""
        for _ in range(max_moves):
            if not self.step():
                break
        return self.result()

    def result(self):
        return collect(self.dinner, self.table, pictures.picture(self.table),
                       running=not self.over())

    def close(self):
        self.rt.stop()
