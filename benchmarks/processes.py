"""The processes runtime, measured; prints one JSON object.

    python benchmarks/processes.py

verdict_after_second_request_s  the story (single, slow, get 32 then ping): from the moment
                                the shim had queued the ping to the confirmed deadlock
                                (goal < 1), median and max of the runs
story_wall_s                    the whole story with a 3 s timer, launch to the shim's exit
                                and every process ended (goal < 10), median and max
story_threads_wall_s            the same story in the threads runtime, for comparison
bulk_wall_s                     the split design and a fast client fetching `get 10000`: every
                                item crosses two pipes and gRPC (what the wire's messages
                                and their checks cost), launch to the last item
pipe_capacities                 requested capacity -> the capacity measured in the pipe, or
                                why it is refused
"""
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons import Scenario, run  # noqa: E402
from lessons.primitives.pipes import max_capacity, measure, open_pipe  # noqa: E402

RUNS = 5
TIMER = 3.0


def story(runtime):
    return Scenario(design="single", client="slow", timeout=TIMER, runtime=runtime)


def bulk():
    return Scenario(design="split", client="fast", runtime="processes", requests=["get 10000"])


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def summary(values):
    return {"median": round(statistics.median(values), 3), "max": round(max(values), 3),
            "runs": len(values)}


def capacity(requested):
    try:
        rfd, wfd = open_pipe("capacity", requested)
    except ValueError as refused:
        return str(refused)
    try:
        return measure(rfd, wfd)
    finally:
        os.close(rfd)
        os.close(wfd)


def main():
    to_verdict, to_formed, walls, outcomes = [], [], [], []
    for _ in range(RUNS):
        wall, result = timed(lambda: run(story("processes")))
        walls.append(wall)
        outcomes.append(result.outcome)
        sent = result.evidence.client.sent_at
        confirmed = result.evidence.watch.confirmed_at
        if result.deadlock_at is not None and len(sent) > 1:
            to_verdict.append(confirmed - sent[1])
            to_formed.append(result.deadlock_at - sent[1])
    threads = [timed(lambda: run(story("threads")))[0] for _ in range(RUNS)]
    bulks = [timed(lambda: run(bulk())) for _ in range(RUNS)]
    outcomes += [result.outcome for _, result in bulks]
    requested = sorted(set(range(1, 9)) | {1 << i for i in range(max_capacity().bit_length() + 1)})
    print(json.dumps({
        "outcomes": outcomes,
        "verdict_after_second_request_s": summary(to_verdict),
        "formed_after_second_request_s": summary(to_formed),
        "story_wall_s": summary(walls),
        "story_threads_wall_s": summary(threads),
        "bulk_wall_s": summary([wall for wall, _ in bulks]),
        "pipe_capacities": {n: capacity(n) for n in requested},
    }, indent=2))


if __name__ == "__main__":
    main()
