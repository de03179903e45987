"""The shim's harness: what every design of the shim shares.

The shim is the Go process between the clients and the engine. It has two goroutines,
`shim.requests` (takes client requests) and `shim.main` (drains the go channel buffer,
`notifications`, and forwards each item to the client's `stream`). A design says only
what each goroutine does with these parts, and which of the two calls the engine:

    shim_single.py   the design from the incident (broken on purpose)
    shim_split.py    the fix: the two jobs on two goroutines

Calling the engine means: queue the request in the C buffer, then wait for the engine's
reply with a timer. When the timer fires the whole Go process exits, as in the story.
"""
from dataclasses import dataclass
from typing import Callable

from lessons.primitives.errors import Timeout
from lessons.runtime import current

CALLERS = ("shim.main", "shim.requests")


@dataclass(frozen=True)
class Design:
    """A shim design: one function per goroutine, and which one calls the engine."""
    name: str
    requests_goroutine: Callable
    main_goroutine: Callable
    engine_caller: str    # the goroutine that queues into c_buffer and waits on replies

    def __post_init__(self):
        if self.engine_caller not in CALLERS:
            raise ValueError(f"engine_caller must be one of {', '.join(CALLERS)}, "
                             f"got {self.engine_caller!r}")

    @property
    def handoff(self):
        """Does shim.requests hand requests to shim.main (over the `handoff` channel)?"""
        return self.engine_caller == "shim.main"


def call_engine(shim, request):
    """Queue `request` in the C buffer, then wait for the engine's reply, with the timer."""
    shim.c_buffer.send(request)
    try:
        reply = shim.replies.recv(timeout=shim.timeout)
    except Timeout:
        rt = current()
        rt.exit_process(f"{rt.me().name} queued request {request} in the C buffer and got "
                        f"no response in {shim.timeout:g} s: unknown timeout, exiting")
    shim.ledger.answered.append(reply)
    return reply
