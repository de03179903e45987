"""What the live control room costs while it sits there; prints one JSON object.

    python benchmarks/control_room_cpu.py [seconds]

For each case the room is driven into its state by its buttons, then the whole
process's CPU time is measured over `seconds` of wall time (target: under 2% while an
idle demo sits deadlocked). Also reported: how often the refresher woke and how often
it actually repainted (it only repaints when what it shows has changed).

threads_deadlocked   threads runtime, single design, timer 60 s: DEADLOCK, nothing moves
sim_shim_exited      sim runtime, single design: after SHIM EXITED
threads_streaming    threads runtime, split design, slow client, 8000 items: RUNNING, for scale
processes_deadlocked processes runtime, single design, timer 60 s: DEADLOCK (this process,
                     its watcher looking every 0.25 s once a verdict holds, and the engine's
                     and the shim's processes apart)
processes_completed  processes runtime, split design, fast client: COMPLETED, waiting for clicks
"""
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons import Scenario  # noqa: E402
from lessons.views import ControlRoom  # noqa: E402

CASES = {
    "threads_deadlocked": (dict(runtime="threads", design="single", timeout=60.0), "DEADLOCK"),
    "sim_shim_exited": (dict(design="single"), "SHIM EXITED"),
    "threads_streaming": (dict(runtime="threads", design="split", request_size=8000), "RUNNING"),
    "processes_deadlocked": (dict(runtime="processes", design="single", timeout=60.0), "DEADLOCK"),
    "processes_completed": (dict(runtime="processes", design="split", client="fast"), "COMPLETED"),
}


def measure(knobs, word, seconds):
    room = ControlRoom(Scenario(**knobs))
    refresher = room.refresher
    try:
        room.buttons["Send big request"].click()
        room.buttons["Send ping"].click()
        reached = room.wait_for(word, max_seconds=30)
        wakes, paints = refresher.wakes, refresher.paints
        children = room.live.pids()
        children.pop("caller", None)
        child_cpu = {role: cpu_seconds(pid) for role, pid in children.items()}
        cpu, wall = time.process_time(), time.monotonic()
        time.sleep(seconds)
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
        wakes, paints = refresher.wakes - wakes, refresher.paints - paints
        child_cpu = {role: cpu_seconds(pid) - child_cpu[role] for role, pid in children.items()}
    finally:
        room.close()
    report = {"state": reached, "cpu_percent": round(100 * cpu / wall, 2),
              "refresher_wakes_per_s": round(wakes / wall, 2),
              "repaints_per_s": round(paints / wall, 2)}
    for role, used in child_cpu.items():   # the engine's and the shim's processes
        report[f"{role}_cpu_percent"] = round(100 * used / wall, 2)
    return report


def cpu_seconds(pid):
    """User and system CPU time of process `pid` so far, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    report = {name: measure(knobs, word, seconds) for name, (knobs, word) in CASES.items()}
    report["seconds_each"] = seconds
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
