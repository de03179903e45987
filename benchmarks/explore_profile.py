"""Where `explore`'s time goes, and how that changes as the answer grows; prints JSON.

    python benchmarks/explore_profile.py [--every] [N ...]      (default: 32 128)

Each N is the split design with a fast client, notifications of 8, a stream window of 4,
c_buffer of 4, and a get of N items then three pings (the largest configuration of
benchmarks/explore_vs_spin.py at N=128); with --every, without reduction (every reachable
state, as `explore(..., reduce=False)`: the per-state costs at scale). One search per N
under cProfile, which sees the
searching thread: a replay's time is that thread waiting for the runtime's threads. The
parts, by the explorer's own functions (cumulative seconds, so a part includes what it
calls unless said otherwise), and per state in microseconds:
  replays        _learn: a fresh runtime replayed along the path to a state, to learn
                 what an actor does after a move
  settle         the scheduler's rules on plain values after each move (offer, clock,
                 deadlock check), wherever it runs
  continuations  _follow minus settle: finding a learned continuation and applying it
  identity       _arrive minus _revisit: the state's identity hashed, the seen table,
                 the queue
  sleep sets     _revisit (Godefroid's rule), and _expand's own time (what each move
                 touched, the sleep set it leaves, the path it extends)
  gc             Python's cyclic garbage collector (a gc callback's clock); its time is
                 also inside whichever part allocated when it ran (settle, mostly)
peak_rss_mb is the process's, so far: a later N includes the earlier ones' high mark.
cProfile roughly doubles the time of pure Python code; compare parts, not totals.
"""
import cProfile
import gc
import json
import pstats
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons import Scenario, explore  # noqa: E402

CONFIG = Scenario(design="split", client="fast", channel_capacity=8, stream_window=4,
                  c_buffer_capacity=4)


class GcClock:
    """Seconds the cyclic garbage collector ran, by the gc module's own hook."""

    def __init__(self):
        self.seconds, self.collections, self._began = 0.0, 0, None

    def __call__(self, phase, info):
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._began
            self.collections += 1


def cumulative(stats, name):
    """Cumulative seconds of the explorer's functions called `name` (any module)."""
    return sum(row[3] for (_, _, function), row in stats.stats.items() if function == name)


def own(stats, name):
    return sum(row[2] for (_, _, function), row in stats.stats.items() if function == name)


def profile(size, reduce):
    scenario = CONFIG.with_(requests=[f"get {size}", "ping", "ping", "ping"])
    clock, profiler = GcClock(), cProfile.Profile()
    gc.callbacks.append(clock)
    try:
        found = profiler.runcall(explore, scenario, max_states=10_000_000, max_seconds=600,
                                 reduce=reduce)
    finally:
        gc.callbacks.remove(clock)
    stats = pstats.Stats(profiler)
    parts = {
        "replays": cumulative(stats, "_learn"),
        "settle": cumulative(stats, "settle"),
        "continuations": cumulative(stats, "_follow") - cumulative(stats, "settle"),
        "identity": cumulative(stats, "_arrive") - cumulative(stats, "_revisit"),
        "sleep sets": cumulative(stats, "_revisit") + own(stats, "_expand"),
        "gc": clock.seconds,
    }
    return {"request_size": size, "states": found.states, "moves": found.transitions,
            "replays": found.replays, "seconds_profiled": round(found.seconds, 2),
            "states_per_s_profiled": round(found.states / found.seconds),
            "gc_collections": clock.collections,
            "parts_s": {k: round(v, 2) for k, v in parts.items()},
            "parts_us_per_state": {k: round(1e6 * v / found.states, 1) for k, v in parts.items()},
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main():
    sizes = [int(word) for word in sys.argv[1:] if word != "--every"] or [32, 128]
    reduce = "--every" not in sys.argv
    print(json.dumps([profile(size, reduce) for size in sizes], indent=1))


if __name__ == "__main__":
    main()
