"""kill -9 of the engine or the shim at moments from launch to exit of a processes run;
prints one JSON line per run and a table: what run() did (an error naming the process is
right; an outcome is a dead process taken for a verdict).

    python benchmarks/kill_processes.py [moments]      # default 20 per process
"""
import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons import Scenario, run  # noqa: E402

SCENARIO = Scenario(runtime="processes", timeout=2.0)


def child(role):
    """The pid of the run's `role` process (engine or shim), or None while there is none."""
    for p in psutil.Process().children(recursive=True):
        try:
            cmd = p.cmdline()
        except psutil.Error:
            continue
        if "lessons.story.processes.child" in cmd and role in cmd:
            return p.pid
    return None


def killer(role, at, began, killed):
    while time.monotonic() < began + at:
        time.sleep(0.002)
    pid = child(role)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(time.monotonic() - began)
        except ProcessLookupError:
            pass


def one(role, at):
    killed = []
    began = time.monotonic()
    t = threading.Thread(target=killer, args=(role, at, began, killed), daemon=True)
    t.start()
    try:
        result = run(SCENARIO)
        said = f"outcome={result.outcome}"
    except Exception as exc:   # noqa: BLE001  what run() raised is the measurement
        said = f"{type(exc).__name__}: {exc}"
    t.join()
    return {"role": role, "at": round(at, 3),
            "killed_at": round(killed[0], 3) if killed else None,
            "names_it": f"the {role} process" in said and "outcome=" not in said,
            "said": said.splitlines()[0][:120], "seconds": round(time.monotonic() - began, 2)}


def main():
    moments = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    began = time.monotonic()
    run(SCENARIO)
    length = time.monotonic() - began
    table = Counter()
    for role in ("engine", "shim"):
        for i in range(moments):
            row = one(role, length * i / moments)
            print(json.dumps(row), flush=True)
            verdict = ("not killed (run over)" if row["killed_at"] is None else
                       "an error naming it" if row["names_it"] else row["said"])
            table[(role, verdict)] += 1
    print(json.dumps({"run_seconds": round(length, 2),
                      "table": {f"{r}: {v}": n for (r, v), n in sorted(table.items())}}))


if __name__ == "__main__":
    main()
