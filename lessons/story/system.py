"""The client/shim/engine system, wired up in one runtime.

Its channels and actors are the scenario's shape (shape.py); what the actors see of it
is a SystemView (system_view.py), built by the one function every process uses.
"""
from lessons.runtime import RUNTIMES

from . import shape
from .requests import expected_items
from .system_view import Ledger, SystemView, system_view


class System:
    """Every channel and actor of one run in one runtime; the actors see `view`."""
    view_type = SystemView   # a variant's view has its own channels and calls

    def __init__(self, scenario, live=False, policy="random"):
        sc = scenario
        self.scenario = sc
        self.live = live
        self.rt = rt = RUNTIMES[sc.runtime].for_run(sc.seed, policy, sc.schedule)
        extra = self.extra_channels()
        self.held = {s.name: rt.chan(s.name, s.capacity, s.senders, s.receivers)
                     for s in shape.run_channels(sc, live, extra)}
        self.view = system_view(sc, self.held, f"this {sc.runtime} runtime", Ledger(), live,
                                extra, self.view_type)
        for actor in shape.actors(sc):
            rt.spawn(actor.name, _bind(actor.fn, self.view), outside=actor.outside,
                     code=actor.code)

    def extra_channels(self):
        """A variant's channels beyond the story's (ChannelSpecs): none here."""
        return ()

    @property
    def ledger(self):
        return self.view.ledger

    @property
    def script(self):
        return self.view.script

    @property
    def clicks(self):
        """The learner's clicks (a live run), else None."""
        return self.view.clicks

    def channels(self):
        """The system's channels in the order of the story (the learner's clicks left out)."""
        return [chan for name, chan in self.held.items() if name != shape.CLICKS.name]

    def expected_items(self):
        """How many items the client should get for what it has sent."""
        return expected_items(self.ledger.sent if self.live else self.script)

    def done(self):
        """Every request answered and every item delivered."""
        sent = self.ledger.sent if self.live else self.script
        return (len(self.ledger.answered) == len(sent)
                and len(self.ledger.delivered) == self.expected_items())


def _bind(fn, view):
    def actor():
        fn(view)
    actor.__name__ = fn.__name__
    return actor
