"""The fixed shim: split the goroutine. Each goroutine has one job.

The only change from shim_single.py: shim.requests calls the engine itself (and waits
for the reply there), so shim.main never stops draining `notifications`. The engine can
always finish its answer, and then it is free to serve the next request.
"""
from lessons.story.shim import Design


def requests_goroutine(shim):
    for request in shim.requests:
        shim.call_engine(request)                  # wait for the engine here, not in main


def main_goroutine(shim):
    for item in shim.notifications:                # main only ever drains
        shim.stream.send(item)


split = Design("split", requests_goroutine, main_goroutine, engine_caller="shim.requests")
