"""`explore` against SPIN on the same configurations; prints one JSON object.

    python benchmarks/explore_vs_spin.py [--repeats K] [--quick]

Per configuration (a fast client; a get of N items, then pings, R requests in all;
c_buffer of 4), both tools' verdicts, states, and times, medians of K runs (default 3):
  ours   `python -m lessons explore ... --json` as a subprocess, timed from outside
         (end_to_end_s) and by itself (search_s: the JSON's `seconds`), and its peak
         resident memory (peak_rss_mb, the kernel's count for that process)
  spin   `spin -a`, `cc -O2 -DSAFETY`, `./pan` on benchmarks/spin/system.pml
         (end_to_end_s), and pan's own elapsed time (search_s, in hundredths of a
         second: 0.0 means under 0.01 s); its partial-order reduction is on, with the
         channels' single sender and receiver declared (xs/xr)
  spin_without_xr_xs   one run without those declarations: what they save
  ratio_end_to_end, ratio_search   ours / SPIN (SPIN's search time taken as at least
         one tick, so a ratio against a 0.0 is a lower bound)
The summary holds the issue's targets: the largest ours/SPIN end-to-end ratio, the ratio
at the story's sizes, states/s on the largest configuration over the smallest, and the
explorer's largest peak memory.
Wall times depend on the machine's load; the runs of both tools alternate, so both see
the same load.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks" / "spin"))

from verify import PAN_TICK_S, Config, explore_options, missing, spin_verdict  # noqa: E402

# (notifications C, size N, window W, requests R), smallest to largest; each in both designs.
SIZES = [(1, 2, 1, 2), (4, 32, 2, 3), (8, 32, 4, 4), (8, 64, 2, 4), (4, 128, 2, 2),
         (8, 128, 4, 4)]
QUICK_SIZES = [(1, 2, 1, 2), (4, 32, 2, 3)]
STORY = Config("split", 4, 32, 2, 3)
BOUNDS = ["--max-states", "10000000", "--max-seconds", "600"]   # never the answer's limit


def ours(config):
    """One run of the CLI; its own `--max-seconds` bound is what keeps it from hanging."""
    command = [sys.executable, "-m", "lessons", "explore", *explore_options(config), *BOUNDS,
               "--json"]
    with tempfile.TemporaryFile("w+") as errors:
        began = time.perf_counter()
        child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=errors,
                                 text=True)
        with child.stdout:
            out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)   # reaps it, and says what it used
        end_to_end = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(command)} failed:\n{errors.read()}")
    found = json.loads(out)
    return {"verdict": found["verdict"], "states": found["states"],
            "search_s": found["seconds"], "end_to_end_s": round(end_to_end, 3),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def medians(runs):
    """One tool's figures: verdict and states (the same every run), median times, all runs."""
    first = runs[0]
    if any((r["verdict"], r["states"]) != (first["verdict"], first["states"]) for r in runs):
        raise RuntimeError(f"runs of the same configuration differ: {runs}")
    return {"verdict": first["verdict"], "states": first["states"],
            "search_s": statistics.median(r["search_s"] for r in runs),
            "end_to_end_s": statistics.median(r["end_to_end_s"] for r in runs),
            "end_to_end_runs_s": [r["end_to_end_s"] for r in runs]}


def compare(config, repeats):
    mine, theirs = [], []
    for _ in range(repeats):
        mine.append(ours(config))
        theirs.append(spin_verdict(config))
    peak = max(run["peak_rss_mb"] for run in mine)
    mine, theirs = medians(mine), medians(theirs)
    mine["states_per_s"] = round(mine["states"] / max(mine["search_s"], 1e-3))
    mine["peak_rss_mb"] = peak
    plain = spin_verdict(config, exclusive=False)
    return {"config": config._asdict(), "agree": mine["verdict"] == theirs["verdict"],
            "ours": mine, "spin": theirs,
            "spin_without_xr_xs": {k: plain[k] for k in ("verdict", "states", "search_s")},
            "ratio_end_to_end": round(mine["end_to_end_s"] / theirs["end_to_end_s"], 3),
            "ratio_search": round(mine["search_s"] / max(theirs["search_s"], PAN_TICK_S), 1)}


def summary(rows):
    full = [r for r in rows if r["ours"]["verdict"] == "no-deadlock"]   # searched to the end
    smallest = min(full, key=lambda r: r["ours"]["states"])
    largest = max(full, key=lambda r: r["ours"]["states"])
    story = [r for r in rows if r["config"] == STORY._asdict()]
    return {"all_agree": all(r["agree"] for r in rows),
            "worst_ratio_end_to_end": max(r["ratio_end_to_end"] for r in rows),
            "story_ratio_end_to_end": story[0]["ratio_end_to_end"] if story else None,
            "states_per_s_smallest": smallest["ours"]["states_per_s"],
            "states_per_s_largest": largest["ours"]["states_per_s"],
            "largest_over_smallest_rate": round(largest["ours"]["states_per_s"]
                                                / smallest["ours"]["states_per_s"], 3),
            "ours_peak_rss_mb": max(r["ours"]["peak_rss_mb"] for r in rows)}


def main():
    reason = missing()
    if reason is not None:
        sys.exit(f"explore_vs_spin: {reason}")
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
    sizes = QUICK_SIZES if "--quick" in sys.argv else SIZES
    rows = [compare(Config(design, *size), repeats)
            for size in sizes for design in ("single", "split")]
    print(json.dumps({"grid": rows, "summary": summary(rows)}, indent=1))


if __name__ == "__main__":
    main()
