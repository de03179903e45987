"""Measurements of `explore`; prints one JSON object.

    python benchmarks/explore.py [--quick]

states_per_s        distinct states per second (and moves per second) on a few configurations,
                    and the same searched with every move run in a real runtime (the
                    reference, explore_replay.py): same states, many more replays
story_effect        the story's small configuration (get 2 then ping, notifications of 1, a
                    fast client), both designs: states, schedules, moves, replays and seconds
                    with and without pruning and reduction ("neither" stops at a 60 s bound)
verdicts            time to each verdict: single design, capacities 1-3 and request sizes
                    2-4 (a deadlock needs an answer bigger than the buffer); split design,
                    capacities 1-3, request sizes 1-4, one to three requests
slowest_verdict_s   the slowest of those (the issue asks for under 10 s each)
dining_verdicts     naive, ordered and waiter tables of 2-4 philosophers, one meal each
Wall times depend on the machine's load. Successors are computed; threads run only to
learn what an actor does after a move (the "replays", each a fresh runtime), so a search's
time is its states times a few tens of microseconds, plus about a millisecond a replay
(see profile_top).
"""
import cProfile
import json
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons import Scenario, explore  # noqa: E402
from lessons.explore import explore_with  # noqa: E402
from lessons.explore.replay import ReplaySuccessors  # noqa: E402

STORY = Scenario(design="single", client="fast", channel_capacity=1, request_size=2,
                 requests=["get 2", "ping"])
EFFECT_BOUND_S = 60.0


def figures(found):
    return {"verdict": found.verdict, "states": found.states, "schedules": found.schedules,
            "moves": found.transitions, "replays": found.replays,
            "seconds": round(found.seconds, 3), "bound": found.bound}


def rate(found):
    return {"states_per_s": round(found.states / found.seconds),
            "moves_per_s": round(found.transitions / found.seconds), **figures(found)}


def story_effect(design):
    sc = STORY.with_(design=design)
    runs = {"prune+reduce": {}, "prune only": {"reduce": False},
            "reduce only": {"prune": False}, "neither": {"reduce": False, "prune": False}}
    return {name: figures(explore(sc, max_seconds=EFFECT_BOUND_S, **knobs))
            for name, knobs in runs.items()}


def verdict_configs(quick):
    sizes = (2, 4) if quick else (1, 2, 3, 4)
    for capacity in (1, 2, 3):
        for size in (2, 3, 4):
            if size > capacity:
                yield "single", capacity, [f"get {size}", "ping"]
        for size in sizes:
            for requests in ([f"get {size}"], [f"get {size}", "ping"],
                             [f"get {size}", "ping", f"get {size}"]):
                yield "split", capacity, requests


def verdicts(quick):
    rows = []
    for design, capacity, requests in verdict_configs(quick):
        found = explore(STORY.with_(design=design, channel_capacity=capacity, requests=requests))
        rows.append({"design": design, "channel_capacity": capacity, "requests": requests,
                     **figures(found)})
    return rows


def dining_verdicts():
    """Naive tables deadlock; ordered and waiter tables do not (one meal each)."""
    try:
        from dining.table import build_runtime
    except ImportError:
        return "dining is not there"
    rows = []
    for n in (2, 3, 4):
        for strategy in ("naive", "ordered", "waiter"):
            def build(policy, schedule, n=n, strategy=strategy):
                return build_runtime(n, strategy, 1, policy, schedule)
            rows.append({"philosophers": n, "strategy": strategy, **figures(explore(build))})
    return rows


def profile_top(n=8):
    """Where the time of one search goes, by the explorer's own functions (cumulative)."""
    profile = cProfile.Profile()
    profile.runcall(explore, STORY.with_(design="split", channel_capacity=3,
                                         requests=["get 4", "get 4", "ping"]))
    stats = pstats.Stats(profile).sort_stats("cumulative")
    rows = []
    for (file, line, name), (_, calls, _, cumulative, _) in stats.stats.items():
        rows.append((cumulative, f"{Path(file).name}:{name}", calls))
    rows.sort(reverse=True)
    return [{"where": where, "calls": calls, "seconds": round(seconds, 3)}
            for seconds, where, calls in rows[:n]]


RATE_CONFIGS = {
    "story single": STORY,
    "story split": STORY.with_(design="split"),
    "split cap 3, get 4 x2 + ping": STORY.with_(design="split", channel_capacity=3,
                                                requests=["get 4", "get 4", "ping"]),
}


def main():
    quick = "--quick" in sys.argv
    rows = verdicts(quick)
    out = {
        "states_per_s": {name: rate(explore(sc)) for name, sc in RATE_CONFIGS.items()},
        "states_per_s_replayed": {name: rate(explore_with(ReplaySuccessors, sc))
                                  for name, sc in RATE_CONFIGS.items()},
        "story_effect": {design: story_effect(design) for design in ("single", "split")},
        "verdicts": rows,
        "slowest_verdict_s": max(r["seconds"] for r in rows),
        "wrong_verdicts": [r for r in rows if r["verdict"] != {"single": "deadlock",
                                                               "split": "no-deadlock"}[r["design"]]],
        "dining_verdicts": dining_verdicts(),
        "profile_top": profile_top(),
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
