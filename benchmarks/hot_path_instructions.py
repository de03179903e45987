"""The channel's own cost in instructions, not seconds: one thread, send then receive,
against queue.Queue's put then get, each counted by valgrind's callgrind; prints JSON.

    python benchmarks/hot_path_instructions.py [--pairs N]

Wall-time ratios (benchmarks/run.py) wander with the machine's load; an instruction count
is the same whatever else runs, so this one can compare two commits measured hours apart.
Each side is a separate Python process; the cost of starting Python and importing the
course is measured once with no pairs and taken off both.

chan_instructions_per_pair   Chan send+recv on a ThreadsRuntime, no trace
queue_instructions_per_pair  queue.Queue(4) put+get
chan_vs_queue_ratio          the two divided (benchmarks/run.py's one_thread_pairs, counted)
"""
import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs in the child: `pairs` pairs through the named side, nothing else.
PAIRS = """
import sys
sys.path.insert(0, {root!r})
import queue
from lessons import ThreadsRuntime
side, n = sys.argv[1], int(sys.argv[2])
if side == "queue":
    q = queue.Queue(4)
    for i in range(n):
        q.put(i)
        q.get()
else:
    ch = ThreadsRuntime(trace=False).chan("bench", 4)
    for i in range(n):
        ch.send(i)
        ch.recv()
"""


def instructions(side, pairs):
    """Instructions callgrind counted for the whole child process."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         "-c", PAIRS.format(root=str(ROOT)), side, str(pairs)],
        capture_output=True, text=True, check=True)
    return int(re.search(r"refs:\s*([\d,]+)", done.stderr).group(1).replace(",", ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    args = parser.parse_args()
    if args.pairs < 1:
        parser.exit(2, f"--pairs must be a whole number at least 1, got {args.pairs}\n")
    if shutil.which("valgrind") is None:
        parser.exit(2, "valgrind is not installed (Debian: apt-get install valgrind)\n")
    start = instructions("chan", 0)   # Python, the imports, a runtime and a channel
    chan = (instructions("chan", args.pairs) - start) / args.pairs
    queue = (instructions("queue", args.pairs) - start) / args.pairs
    print(json.dumps({"pairs": args.pairs, "chan_instructions_per_pair": round(chan),
                      "queue_instructions_per_pair": round(queue),
                      "chan_vs_queue_ratio": round(chan / queue, 3)}))


if __name__ == "__main__":
    main()
