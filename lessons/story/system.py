"""The client/shim/engine system, wired up in one runtime.

Channels (and who may use each end, which lets the wait-for analysis see a partial
deadlock exactly):
    requests       client.send -> shim.requests
    handoff        shim.requests -> shim.main             (single design only)
    c_buffer       engine caller -> engine                 (the C buffer)
    replies        engine -> engine caller                 ("I have your request")
    notifications  engine -> shim.main                     (the go channel buffer)
    stream         shim.main -> client.recv                (the gRPC flow-control window)
"""
from lessons.runtime import RUNTIMES

from .client import client_recv, client_send
from .engine import engine
from .requests import expected_items
from .shim import call_engine

CODES = {"client.send": "S", "client.recv": "C", "shim.requests": "R", "shim.main": "M",
         "engine": "E"}
REQUESTS_CAPACITY = 1
REPLIES_CAPACITY = 1
CLICKS_CAPACITY = 64


class Ledger:
    """What the client sent, what the shim got answered, what reached the client."""

    def __init__(self):
        self.sent, self.answered, self.delivered = [], [], []


class System:
    """Every channel and actor of one run; the shim's goroutines see it as `shim`."""
    def __init__(self, scenario, live=False, policy="random"):
        sc = scenario
        self.scenario = sc
        self.rt = RUNTIMES[sc.runtime].for_run(sc.seed, policy, sc.schedule)
        rt, design = self.rt, sc.shim_design
        caller = design.engine_caller
        self.design = design
        self.timeout = sc.shim_timeout
        self.reading, self.read_interval = sc.client, sc.read_interval
        self.script = sc.script()
        self.ledger = Ledger()
        self.requests = rt.chan("requests", REQUESTS_CAPACITY, ["client.send"], ["shim.requests"])
        self.handoff = (rt.chan("handoff", 1, ["shim.requests"], ["shim.main"])
                        if design.handoff else None)
        self.c_buffer = rt.chan("c_buffer", sc.c_buffer_capacity, [caller], ["engine"])
        self.replies = rt.chan("replies", REPLIES_CAPACITY, ["engine"], [caller])
        self.notifications = rt.chan("notifications", sc.channel_capacity, ["engine"], ["shim.main"])
        self.stream = rt.chan("stream", sc.stream_window, ["shim.main"], ["client.recv"])
        self.clicks = rt.chan("clicks", CLICKS_CAPACITY, None, ["client.send"]) if live else None
        for name, fn, outside in (
                ("client.send", client_send, True),
                ("client.recv", client_recv, True),
                ("shim.requests", design.requests_goroutine, False),
                ("shim.main", design.main_goroutine, False),
                ("engine", engine, False)):
            rt.spawn(name, _bind(fn, self), outside=outside, code=CODES[name])

    def call_engine(self, request):
        return call_engine(self, request)

    def may_subscribe(self, request):
        """The engine asks this before it accepts a subscription: here, yes at once.
        A variant answers otherwise (the workshop's engine asks the Go side and waits)."""
        return True

    def channels(self):
        """The system's channels in the order of the story (the learner's clicks left out)."""
        return [c for c in (self.requests, self.handoff, self.c_buffer, self.replies,
                            self.notifications, self.stream) if c is not None]

    def expected_items(self):
        """How many items the client should get for what it has sent."""
        return expected_items(self.ledger.sent if self.clicks is not None else self.script)

    def done(self):
        """Every request answered and every item delivered."""
        sent = self.ledger.sent if self.clicks is not None else self.script
        return (len(self.ledger.answered) == len(sent)
                and len(self.ledger.delivered) == self.expected_items())


def _bind(fn, system):
    def actor():
        fn(system)
    actor.__name__ = fn.__name__
    return actor
