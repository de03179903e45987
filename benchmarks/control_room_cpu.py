"""What the live control room costs while it sits there; prints one JSON object.

    python benchmarks/control_room_cpu.py [seconds]

For each case the room is driven into its state by its buttons, then the whole
process's CPU time is measured over `seconds` of wall time (target: under 2% while an
idle demo sits deadlocked). Also reported: how often the refresher woke and how often
it actually repainted (it only repaints when what it shows has changed).

threads_deadlocked   threads runtime, single design, timer 60 s: DEADLOCK, nothing moves
sim_shim_exited      sim runtime, single design: after SHIM EXITED
threads_streaming    threads runtime, split design, slow client, 8000 items: RUNNING, for scale
processes_deadlocked processes runtime, single design, timer 60 s: DEADLOCK (this process
                     only: its watcher looks every 20 ms and reads the pipes every 0.1 s)
processes_completed  processes runtime, split design, fast client: COMPLETED, waiting for clicks
"""
import json
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
    wakes, paints = [0], [0]
    read, paint = room._read, room._paint
    room._read = lambda: (wakes.__setitem__(0, wakes[0] + 1), read())[1]
    room._paint = lambda view: (paints.__setitem__(0, paints[0] + 1), paint(view))[1]
    try:
        room.buttons["Send big request"].click()
        room.buttons["Send ping"].click()
        reached = room.wait_for(word, max_seconds=30)
        wakes[0] = paints[0] = 0
        cpu, wall = time.process_time(), time.monotonic()
        time.sleep(seconds)
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    finally:
        room.close()
    return {"state": reached, "cpu_percent": round(100 * cpu / wall, 2),
            "refresher_wakes_per_s": round(wakes[0] / wall, 2),
            "repaints_per_s": round(paints[0] / wall, 2)}


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    report = {name: measure(knobs, word, seconds) for name, (knobs, word) in CASES.items()}
    report["seconds_each"] = seconds
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
