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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons import Scenario, run  # noqa: E402

SCENARIO = Scenario(runtime="processes", timeout=2.0)


def child(role):
    """The pid of the run's `role` process (engine or shim), or None while there is none."""
    for proc in Path("/proc").iterdir():
        try:
            stat = (proc / "stat").read_text()
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and b"lessons.story.processes.child" in cmd and role.encode() in cmd:
            return int(proc.name)
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


def timed_run():
    began = time.monotonic()
    run(SCENARIO)
    return time.monotonic() - began


def main():
    moments = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    length = min(timed_run() for _ in range(2))   # the first run also warms imports up
    table = Counter()
    for role in ("engine", "shim"):
        for i in range(moments):
            row = one(role, 0.9 * length * (i + 0.5) / moments)   # launch to exit
            print(json.dumps(row), flush=True)
            verdict = ("not killed (run over)" if row["killed_at"] is None else
                       "an error naming it" if row["names_it"] else row["said"])
            table[(role, verdict)] += 1
    print(json.dumps({"run_seconds": round(length, 2),
                      "table": {f"{r}: {v}": n for (r, v), n in sorted(table.items())}}))


if __name__ == "__main__":
    main()
