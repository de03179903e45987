"""A class on one hub, measured; prints one JSON object.

    python benchmarks/class_on_hub.py [N ...]        (as root; default: 5 20)

For each class size N: N learners (Unix users) on one JupyterHub with hub/'s configuration,
started and ended by the harness of tests/test_hub.py (tests/hub_class.py). Every server
and kernel is started, then every learner runs notebook 04's story (threads) and then
notebook 10's (processes, its timer 3 s), all learners at the same moment.

right_verdicts          learners whose verdict was right (deadlock, the story's cycle, the
                        shim's exit), per runtime, out of N
click_to_verdict_s      from the cell's request to the kernel's reply, p50 and p95, per
                        runtime; the baseline: the same story run alone in this process
server_start_s          from asking the Hub for the server to the Hub calling it ready
kernel_start_s          from asking the server for a kernel to its websocket open
learner_rss_mib         per learner, the sum of the RSS of every process of the learner's
                        uid (server, kernel, the run's processes): the server alone, with
                        a kernel at rest, and the peak during the stories; p50 and p95
                        over learners
machine                 used memory (MemTotal - MemAvailable) before the class and at its
                        peak, its growth per learner, the peak 1-minute load, and how busy
                        the CPUs were during the stories
Nothing else is stopped for it: on a shared machine the figures include the others' load
(`machine.load_before` says how much).
"""
import json
import os
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons import Scenario, run  # noqa: E402
from tests.hub_class import (STORY_TIMERS, Class, missing_prerequisite, right_verdict,  # noqa: E402
                             run_the_stories)

SAMPLE_SECONDS = 0.5
MIB = 1024 * 1024


def percentiles(values):
    ordered = sorted(values)
    return {"p50": round(statistics.median(ordered), 2),
            "p95": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2),
            "n": len(ordered)}


def rss_by_uid(uids):
    """uid -> bytes of resident memory of all its processes."""
    found = dict.fromkeys(uids, 0)
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        uid = int(fields["Uid"].split()[0])
        if uid in found and "VmRSS" in fields:
            found[uid] += int(fields["VmRSS"].split()[0]) * 1024
    return found


def used_memory():
    info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    return (int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])) * 1024


def cpu_times():
    """(busy, total) jiffies of all CPUs."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Sampler:
    """Peaks of per-uid RSS, used memory and load, sampled every SAMPLE_SECONDS."""

    def __init__(self, uids):
        self.uids, self.peak_rss = uids, dict.fromkeys(uids, 0)
        self.peak_used, self.peak_load = used_memory(), os.getloadavg()[0]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.sample, name="sampler")

    def sample(self):
        while not self.stopping.wait(SAMPLE_SECONDS):
            for uid, rss in rss_by_uid(self.uids).items():
                self.peak_rss[uid] = max(self.peak_rss[uid], rss)
            self.peak_used = max(self.peak_used, used_memory())
            self.peak_load = max(self.peak_load, os.getloadavg()[0])

    def __enter__(self):
        self.cpu = cpu_times()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join()
        busy, total = (now - then for now, then in zip(cpu_times(), self.cpu))
        self.cpu_busy = busy / total if total else 0.0


def alone():
    """The baseline: each story once, alone, in this process."""
    took = {}
    for runtime, timer in STORY_TIMERS.items():
        started = time.perf_counter()
        run(Scenario(design="single", client="slow", runtime=runtime, timeout=timer))
        took[runtime] = round(time.perf_counter() - started, 2)
    return took


def measure(size):
    before = {"used_gib": round(used_memory() / 2**30, 2), "load": round(os.getloadavg()[0], 2)}
    with Class(size) as room:
        room.start_servers()
        uids = [learner.uid for learner in room.learners]
        servers_only = rss_by_uid(uids)
        room.start_kernels()
        at_rest = rss_by_uid(uids)
        with Sampler(uids) as sampler:
            stories = room.at_once(run_the_stories)
    per_runtime = {runtime: [s[runtime] for s in stories] for runtime in STORY_TIMERS}
    return {
        "learners": size,
        "right_verdicts": {r: f"{sum(right_verdict(v) for v, _ in got)}/{size}"
                           for r, got in per_runtime.items()},
        "click_to_verdict_s": {r: percentiles([t for _, t in got]) for r, got in per_runtime.items()},
        "server_start_s": percentiles(room.timings["server_start_s"]),
        "kernel_start_s": percentiles(room.timings["kernel_start_s"]),
        "learner_rss_mib": {
            "server_only": percentiles([v / MIB for v in servers_only.values()]),
            "with_kernel_at_rest": percentiles([v / MIB for v in at_rest.values()]),
            "peak_during_stories": percentiles([v / MIB for v in sampler.peak_rss.values()])},
        "machine": {
            "used_gib_before": before["used_gib"], "load_before": before["load"],
            "used_gib_peak": round(sampler.peak_used / 2**30, 2),
            "growth_per_learner_gib": round((sampler.peak_used / 2**30 - before["used_gib"]) / size, 3),
            "load_peak": round(sampler.peak_load, 2),
            "cpu_busy_during_stories": round(sampler.cpu_busy, 2),
            "cpus": os.cpu_count()},
    }


def main(sizes):
    reason = missing_prerequisite()
    if reason:
        sys.exit(f"class_on_hub: {reason}")
    # A SIGTERM (a timeout, say) unwinds like Ctrl-C: the class's users and hub are removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("class_on_hub: stopped by SIGTERM"))
    print(json.dumps({"alone_s": alone(), "classes": [measure(n) for n in sizes]}, indent=2))


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [5, 20])
