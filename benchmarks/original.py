"""The original Go program against the model (lessons/story/original/agreement.py): both
designs, the three clients, channel capacities 1 to 8, request sizes on both sides of
each threshold, in the story's timing and the settled one. Prints the table, then JSON:
the counts, the time taken, and every disagreement with both runs' evidence.

    python benchmarks/original.py [--quick]      (--quick: capacities 1 and 4)

Needs Go (make original). Runs one Go program at a time; about 0.5-3 s each.
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons.story.original import agreement, build  # noqa: E402


def main():
    why = build.missing()
    if why is not None:
        sys.exit(f"benchmarks/original.py: {why}")
    capacities = (1, 4) if "--quick" in sys.argv else range(1, 9)
    start, rows = time.monotonic(), []
    for config in agreement.grid(capacities, scripts=("story", "settled")):
        rows.append(agreement.compare(config))
        print(agreement.table(rows[-1:]).splitlines()[-1], flush=True)
    print(agreement.table(rows))
    by_script = {s: {"configurations": sum(r.script == s for r in rows),
                     "agree": sum(r.agrees for r in rows if r.script == s)}
                 for s in agreement.SCRIPTS}
    print(json.dumps({"seeds": agreement.SEEDS, "by_script": by_script,
                      "seconds": round(time.monotonic() - start, 1),
                      "disagreements": [vars(r) for r in rows if not r.agrees]}))


if __name__ == "__main__":
    main()
