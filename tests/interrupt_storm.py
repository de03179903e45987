"""Ctrl-C into threads runs at random moments, counted (issue 20): a program, so that the
main thread interrupted is its own and never pytest's.

    python -m tests.interrupt_storm [DELIVERIES] [SEED]

Each delivery is one threads run, `run(scenario)`, with one Ctrl-C due at a random moment
of it (seeded): the moments are spread over a run's whole length as measured here first,
uninterrupted, so they fall in every phase of the run (building the system, starting its
threads, running, deadlocked waiting for the timer, stopping and joining, collecting the
result); every other one falls near the end, where the run's threads are stopped and
collected (an interrupt that landed in threading's WeakSet callback was lost there before
issue 13's fix). A moment after the run has ended, or one that passed before the run was
called, is not a delivery, and another is drawn.
Prints one JSON line: deliveries, how many surfaced as KeyboardInterrupt from run(), how
many were lost (run() returned as if nothing happened), every other exception, the threads
left running, and the phases the deliveries landed in.
"""
import json
import random
import signal
import sys
import threading
import time
from collections import Counter

from lessons import Scenario, run
from tests.interrupting import deliver, innermost, threads_left

RUNS = {   # both end in tens of milliseconds
    "deadlock": Scenario(runtime="threads", timeout=0.02),   # found, then the timer's exit
    "completes": Scenario(runtime="threads", design="split", requests=["get 1"]),
}
CALIBRATION_RUNS = 5

# Where the main thread was, by the innermost of these functions it was inside.
PHASES = {
    "System.__init__": "building",
    "Runtime._start_threads": "starting threads",
    "ThreadsRuntime.wait_over": "running",
    "Runtime.stop": "stopping and joining",
    "picture": "collecting",
    "collect": "collecting",
}


def phase(frame):
    """The phase of a run the main thread is in at `frame`."""
    while frame is not None:
        found = PHASES.get(frame.f_code.co_qualname)
        if found == "running" and frame.f_locals["self"].deadlock is not None:
            return "deadlocked, waiting for the timer"
        if found:
            return found
        frame = frame.f_back
    return "entering or leaving run()"


def longest(scenario):
    """The median of a few uninterrupted runs, in seconds."""
    times = []
    for _ in range(CALIBRATION_RUNS):
        start = time.monotonic()
        run(scenario)
        times.append(time.monotonic() - start)
    return sorted(times)[len(times) // 2]


def storm(deliveries, seed):
    rng = random.Random(seed)
    counts, phases, wrong, stranded = Counter(), Counter(), [], []
    for name, scenario in RUNS.items():
        length = longest(scenario)
        counts["calibrated " + name + " (ms)"] = round(length * 1000)
        sent = 0
        while sent < deliveries // len(RUNS):
            before = set(threading.enumerate())
            moment = rng.uniform(0.0002, length) if sent % 2 else rng.uniform(0.7, 1.3) * length
            got = None
            try:
                got = deliver(lambda: run(scenario), moment, phase)
            except Exception as exc:   # noqa: BLE001 - counted: the test says which
                wrong.append(repr(exc))
                counts["wrong"] += 1
                sent += 1
                continue
            finally:
                left = threads_left(before)
                counts["threads left"] += len(left)
                stranded.extend(
                    f"{t.name} after the {name} run, Ctrl-C due at {moment * 1000:.1f} ms, "
                    f"{got.outcome if got else 'an exception'} (landed: "
                    f"{got.landed if got else '?'}); it waits in "
                    f"{innermost(sys._current_frames().get(t.ident)) or '(no stack)'}"
                    for t in left)
            counts[got.outcome] += 1
            if got.outcome not in ("early", "late"):   # not delivered into the run
                sent += 1
                phases[got.landed] += 1
    counts["deliveries"] = sum(counts[k] for k in ("surfaced", "after", "lost", "wrong"))
    return {**counts, "phases": dict(phases), "wrong_examples": wrong[:5],
            "threads_left_examples": stranded[:5]}


def main(argv):
    deliveries = int(argv[1]) if len(argv) > 1 else 300
    seed = int(argv[2]) if len(argv) > 2 else 20
    # Python's own Ctrl-C, even if started as a background job (SIGINT ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print(json.dumps(storm(deliveries, seed)))


if __name__ == "__main__":
    main(sys.argv)
