"""The original Go program against the model: for each configuration, the Go program's
outcome and the outcomes the sim reaches over SEEDS seeds; prints a table, then JSON.

    python benchmarks/original.py [--quick]

A configuration agrees when the Go program's outcome is one the model reaches. The sim
explores scheduling by seed; the Go program runs one schedule, the one the machine's
timing gives. Configurations: both designs, the three clients, channel capacities 1 to 8,
and request sizes on both sides of each threshold the sim shows (at the capacity, one
above, and well above it).
"""
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons import Scenario, run  # noqa: E402

SEEDS = 16
READS = 0.05  # a slow client's read interval (s): the Scenario's default


def sizes(capacity):
    return sorted({capacity, capacity + 1, capacity + 4, 2 * capacity + 8})


def grid(quick=False):
    capacities = (1, 4) if quick else range(1, 9)
    clients = ("slow", "stalled") if quick else ("fast", "slow", "stalled")
    for design in ("single", "split"):
        for client in clients:
            for capacity in capacities:
                for n in (sizes(capacity)[::3] if quick else sizes(capacity)):
                    yield dict(design=design, client=client, channel_capacity=capacity,
                               request_size=n)


def model(config):
    return Counter(run(Scenario(runtime="sim", seed=s, **config)).outcome for s in range(SEEDS))


def compare(config):
    # The Go shim's timer outlasts a slow client's reads, as the story's hour does.
    timer = max(1.0, 2 * READS * config["request_size"])
    go = run(Scenario(runtime="go", timeout=timer, **config))
    sim = model(config)
    return {**config, "go": go.outcome, "model": dict(sim), "agrees": go.outcome in sim,
            "go_evidence": None if go.outcome in sim else go.to_dict()}


def main():
    quick = "--quick" in sys.argv
    start, rows = time.monotonic(), []
    print(f"{'design':7} {'client':8} {'cap':>3} {'size':>4}  {'Go':9} model ({SEEDS} seeds)")
    for config in grid(quick):
        row = compare(config)
        rows.append(row)
        model_text = ", ".join(f"{k} {v}" for k, v in sorted(row["model"].items()))
        print(f"{row['design']:7} {row['client']:8} {row['channel_capacity']:>3} "
              f"{row['request_size']:>4}  {row['go']:9} {model_text}"
              f"{'' if row['agrees'] else '   DISAGREES'}", flush=True)
    print(json.dumps({"configurations": len(rows), "agree": sum(r["agrees"] for r in rows),
                      "seconds": round(time.monotonic() - start, 1),
                      "disagreements": [r for r in rows if not r["agrees"]]}, indent=1))


if __name__ == "__main__":
    main()
