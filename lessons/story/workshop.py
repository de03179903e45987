"""The workshop's variant of the system: the engine calls back into the shim.

A year after the incident the engine learns one new thing. Before it accepts a
subscription, it must ask the Go side whether the client may see that topic (the
permissions live there, next to the gRPC sessions). So, for `subscribe TOPIC`, the
engine replies "I have your request", then sends a question on `callbacks` and waits
for the answer on `answers`. Everything else is the system you know.

Which goroutine answers the engine's questions is part of a shim design: a
`CallbackDesign` is a `Design` with one more field, `callback_server`.

    first_try   the team's first version, built on the split fix: BROKEN ON PURPOSE.
                shim.main "only drains" (the lesson of the incident), so shim.requests
                answers callbacks between requests.

    from lessons.story.workshop import first_try, run_workshop, workshop_scenarios
    run_workshop(Scenario(design=first_try, requests=["subscribe prices", "ping"], seed=1))
"""
from dataclasses import dataclass
from typing import Any

from lessons.primitives.chan import select
from lessons.story.scenario import Scenario, run_system
from lessons.story.shape import ChannelSpec
from lessons.story.shim import CALLERS, Design
from lessons.story.system import System
from lessons.story.system_view import SystemView, channel

CALLBACKS_CAPACITY = 1


@dataclass(frozen=True)
class CallbackDesign(Design):
    """A shim design for the variant: also says which goroutine answers the engine."""
    callback_server: str = "shim.requests"

    def __post_init__(self):
        super().__post_init__()
        if self.callback_server not in CALLERS:
            raise ValueError(f"callback_server must be one of {', '.join(CALLERS)}, "
                             f"got {self.callback_server!r}")


def may_see(topic):
    """The Go side's permission check (every topic is allowed in this course)."""
    return True


def answer_callback(shim, request):
    """Answer one of the engine's questions (a shim goroutine calls this)."""
    shim.answers.send(may_see(request.arg))


@dataclass(frozen=True, eq=False, kw_only=True, slots=True)
class WorkshopView(SystemView):
    """The system as the variant's actors see it: two more channels, and the engine's
    question goes to the Go side."""
    callbacks: Any = channel()
    answers: Any = channel()

    def may_subscribe(self, request):
        """The engine's question to the shim ("may this client see TOPIC?"), and its wait."""
        self.callbacks.send(request)
        return self.answers.recv()              # the engine waits for the Go side

    def answer_callback(self, request):
        return answer_callback(self, request)


class WorkshopSystem(System):
    """The system whose engine asks the Go side before each subscription, and the two
    new channels that carry the question and its answer."""
    view_type = WorkshopView

    def __init__(self, scenario, **kwargs):
        if not isinstance(scenario.shim_design, CallbackDesign):
            raise ValueError("the workshop needs a CallbackDesign: say which goroutine "
                             "answers the engine's callbacks (callback_server=...)")
        super().__init__(scenario, **kwargs)

    def extra_channels(self):
        server = (self.scenario.shim_design.callback_server,)
        return (ChannelSpec("callbacks", CALLBACKS_CAPACITY, ("engine",), server,
                            "callbacks capacity"),
                ChannelSpec("answers", CALLBACKS_CAPACITY, server, ("engine",),
                            "answers capacity"))


def run_workshop(scenario):
    """`run` for the variant: same Scenario knobs, same Result."""
    return run_system(WorkshopSystem(scenario))


def workshop_scenarios(design):
    """The situations a fix must survive: subscriptions close to other requests."""
    return [(label, Scenario(design=design, requests=requests, channel_capacity=4))
            for label, requests in (
                ("a subscription, then a ping", ("subscribe prices", "ping")),
                ("a subscription, changes, then a ping",
                 ("subscribe prices", "changes prices 6", "ping")),
                ("a big get, a subscription, a ping", ("get 12", "subscribe news", "ping")),
                ("two subscriptions back to back", ("subscribe prices", "subscribe news",
                                                    "changes news 3")),
            )]


# -- the team's first version (BROKEN ON PURPOSE) ------------------------------------------

def first_try_requests(shim):
    while True:
        which, value = select(shim.requests.receiving(), shim.callbacks.receiving())
        if which == 0:
            shim.call_engine(value)          # waits for the engine's reply...
        else:
            shim.answer_callback(value)      # ...so a question that comes meanwhile waits too


def first_try_main(shim):
    for item in shim.notifications:         # main only drains: the incident's lesson
        shim.stream.send(item)


first_try = CallbackDesign("first try", first_try_requests, first_try_main,
                           engine_caller="shim.requests", callback_server="shim.requests")
