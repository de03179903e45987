"""Why testing is not enough, per case of the casebook: how often random runs hit the bug,
against what the explorer needs to find it for certain and to prove the fix.

    python benchmarks/cases.py [--sim-seeds 1000] [--thread-runs 100] [--json]

Per case, the baseline (testing) and ours (exploring), in the same run
(lessons/tools/casebook.compare):
  sim_hit_share        share of random sim runs, seeds 0..N-1, that deadlock
  first_sim_seed       the first seed that deadlocks (None: none did)
  threads_hit_share    share of real-thread runs that deadlock (the machine's own timing)
  testing_s            seconds the N random sim runs took
  explore_states       states the explorer visited to the shortest deadlock
  explore_moves        moves in that shortest schedule
  explore_s            seconds to find it
  fix_states, fix_s    states and seconds to prove the fixed program free of deadlock
Prints a readable table, then one JSON object (only the JSON with --json).
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons.cases import CASES  # noqa: E402
from lessons.tools.casebook import compare, table  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sim-seeds", type=int, default=1000)
    parser.add_argument("--thread-runs", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.sim_seeds < 1 or args.thread_runs < 1:
        parser.error("--sim-seeds and --thread-runs must be at least 1")
    rows = [compare(c, args.sim_seeds, args.thread_runs) for c in CASES.values()]
    if not args.json:
        print(table(rows, args.sim_seeds, args.thread_runs))
    print(json.dumps({"sim_seeds": args.sim_seeds, "thread_runs": args.thread_runs,
                      "cases": rows}))


if __name__ == "__main__":
    main()
