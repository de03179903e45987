"""Fingerprints of the course's behaviour: many runs and searches, each reduced to a line.

They were recorded before the package was reorganised (issue 11) and pin what must never
change by accident: every sim run's `to_dict()` (outcome, cycle, trace, schedule...), every
search's verdict, counts and shortest schedule, every dining evening. A run is kept as a
sha256 of its canonical JSON, with its outcome and schedule beside it, so a difference
says where to look.

    python -m tests.fingerprints.cases --write    # record anew (only on purpose)
"""
import hashlib
import itertools
import json
import sys
from pathlib import Path

RECORDED = Path(__file__).with_name("recorded.json")

REQUEST_SCRIPTS = {
    "story": None,
    "small": ("get 6", "ping"),
    "subscription": ("subscribe prices", "changes prices 5", "ping"),
    "late ping": ("get 8", "ping @ 0.2"),
    "one get": ("get 3",),
    "two gets": ("get 5", "get 5", "ping"),
}
EXPLORATIONS = [
    dict(design="single", client="fast", channel_capacity=1, requests=["get 2", "ping"]),
    dict(design="single", client="fast", channel_capacity=2, requests=["get 3", "ping"]),
    dict(design="single", client="fast", channel_capacity=2, requests=["get 2", "ping"]),
    dict(design="single", client="slow", channel_capacity=1, requests=["get 2", "ping"]),
    dict(design="split", client="fast", channel_capacity=1, requests=["get 2", "ping"]),
    dict(design="split", client="fast", channel_capacity=2, requests=["get 4", "ping", "ping"]),
    dict(design="single", client="fast", channel_capacity=2, stream_window=1,
         requests=["get 3", "ping", "ping"]),
    dict(design="split", client="fast", channel_capacity=3, requests=["get 4", "get 4", "ping"]),
]


def digest(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def run_fingerprints():
    from lessons import Scenario, run
    found = {}
    for design, client, script, capacity, seed in itertools.product(
            ("single", "split"), ("fast", "slow", "stalled"), REQUEST_SCRIPTS, (1, 4), range(4)):
        sc = Scenario(design=design, client=client, requests=REQUEST_SCRIPTS[script],
                      channel_capacity=capacity, seed=seed)
        d = run(sc).to_dict()
        found[f"run {design} {client} {script} cap={capacity} seed={seed}"] = [
            d["outcome"], d["schedule"], digest(d)]
    return found


def workshop_fingerprints():
    from lessons.story.workshop import first_try, run_workshop, workshop_scenarios
    found = {}
    for label, sc in workshop_scenarios(first_try):
        for seed in range(3):
            d = run_workshop(sc.with_(seed=seed)).to_dict()
            found[f"workshop {label} seed={seed}"] = [d["outcome"], d["schedule"], digest(d)]
    return found


def explore_fingerprints():
    from lessons import Scenario, explore
    found = {}
    for knobs in EXPLORATIONS:
        d = explore(Scenario(**knobs)).to_dict()
        d.pop("seconds")
        found["explore " + json.dumps(knobs, sort_keys=True)] = d
    return found


def dining_fingerprints():
    import dining
    from dining.strategies import STRATEGIES
    found = {}
    for strategy, n, seed in itertools.product(STRATEGIES, (3, 5), range(5)):
        d = dining.run(philosophers=n, strategy=strategy, meals=2, seed=seed).to_dict()
        found[f"dining {strategy} n={n} seed={seed}"] = [d["outcome"], d["schedule"], digest(d)]
    return found


def dining_explore_fingerprints():
    from dining import build_runtime
    from lessons import explore
    found = {}
    for strategy, n in (("naive", 3), ("ordered", 3), ("waiter", 3), ("chandy-misra", 2)):
        def build(policy, schedule, strategy=strategy, n=n):
            return build_runtime(n, strategy, 1, policy, schedule)
        d = explore(build).to_dict()
        d.pop("seconds")
        found[f"dining explore {strategy} n={n}"] = d
    return found


GROUPS = {"runs": run_fingerprints, "workshop": workshop_fingerprints,
          "explore": explore_fingerprints, "dining": dining_fingerprints,
          "dining explore": dining_explore_fingerprints}


def record():
    RECORDED.write_text(json.dumps({name: make() for name, make in GROUPS.items()},
                                   indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.fingerprints.cases --write")
    record()
