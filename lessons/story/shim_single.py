"""The shim as it was in the incident. BROKEN ON PURPOSE.

shim.requests does not call the engine itself: it hands each request to shim.main.
So shim.main has two jobs: drain `notifications` and call the engine (queue, then wait
for the reply). While it waits for a reply it drains nothing, and a single-threaded
engine that is blocked on a full `notifications` can never reply. Compare shim_split.py.
"""
from lessons.primitives.chan import select
from lessons.story.shim import Design


def requests_goroutine(shim):
    for request in shim.requests:
        shim.handoff.send(request)                 # hand the work to main...


def main_goroutine(shim):
    while True:
        which, value = select(shim.notifications.receiving(), shim.handoff.receiving())
        if which == 0:
            shim.stream.send(value)
        else:
            shim.call_engine(value)                # ...which waits here, draining nothing


single = Design("single", requests_goroutine, main_goroutine, engine_caller="shim.main")
