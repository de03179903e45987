"""Core measurements, each against a baseline in the same run; prints one JSON object.

    python benchmarks/run.py

chan_vs_queue_ratio        Chan send+recv in one thread / queue.Queue put+get (target <= 2)
chan_traced_vs_queue_ratio the same with the run's trace on, as scenarios use it
roundtrip_ratio            ping-pong between two threads over two Chans / over two Queues (<= 1.5)
roundtrip_cpu_ratio        the same in CPU time (time.process_time, both threads): on a busy
                           machine wall time mostly measures waiting for a core, CPU time the work
sim_steps_per_s            scheduled moves per second in the sim runtime (>= 20,000)
story_sim_wall_s           wall time of the story's scenario in sim, median (< 0.1)
detect_latency_ms_median   threads runtime: last actor blocks -> a waiting observer sees the verdict (< 10)
Ratios are medians of alternating repeats, so both sides see the same machine load.
"""
import json
import queue
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons import Scenario, SimRuntime, ThreadsRuntime, run  # noqa: E402

REPEATS = 5


def timed(fn, clock=time.perf_counter):
    start = clock()
    fn()
    return clock() - start


def ratio(ours, baseline):
    """Median of per-repeat ratios, ours and the baseline run back to back."""
    return statistics.median(timed(ours) / timed(baseline) for _ in range(REPEATS))


def one_thread_pairs(n=100_000):
    q = queue.Queue(4)

    def with_queue():
        for i in range(n):
            q.put(i)
            q.get()

    def with_chan(trace):
        rt = ThreadsRuntime(trace=trace)
        ch = rt.chan("bench", 4)

        def go():
            for i in range(n):
                ch.send(i)
                ch.recv()
        return go

    return ratio(with_chan(False), with_queue), ratio(with_chan(True), with_queue)


def ping_pong(make_pair, n=10_000):
    there, back = make_pair()

    def echo():
        for _ in range(n):
            back[0](there[1]())

    def go():
        t = threading.Thread(target=echo)
        t.start()
        for i in range(n):
            there[0](i)
            back[1]()
        t.join()
    return go


def roundtrip(n=10_000):
    """(wall-time ratio, CPU-time ratio), each the median of alternating repeats."""
    def queues():
        a, b = queue.Queue(1), queue.Queue(1)
        return (a.put, a.get), (b.put, b.get)

    def chans():
        rt = ThreadsRuntime(trace=False)
        a, b = rt.chan("there", 1), rt.chan("back", 1)
        return (a.send, a.recv), (b.send, b.recv)

    return tuple(statistics.median(timed(ping_pong(chans, n), clock) /
                                   timed(ping_pong(queues, n), clock) for _ in range(REPEATS))
                 for clock in (time.perf_counter, time.process_time))


def sim_steps_per_second(items=20_000):
    rt = SimRuntime(trace=False, max_steps=10 * items)
    ch = rt.chan("jobs", 4)

    def producer():
        for i in range(items):
            ch.send(i)
        ch.close()

    def consumer():
        for _ in ch:
            pass

    rt.spawn("producer", producer)
    rt.spawn("consumer", consumer)
    seconds = timed(rt.run)
    return len(rt.tokens) / seconds


def story_wall_seconds():
    return statistics.median(timed(lambda: run(Scenario(seed=s))) for s in range(21))


def detection_latency_ms(runs=21):
    """From the block that closes the cycle to an observer waiting on `settled` seeing it."""
    latencies = []
    for _ in range(runs):
        rt = ThreadsRuntime()
        a, b = rt.lock("a"), rt.lock("b")
        go = threading.Barrier(2)

        def crossed(first, second):
            def actor():
                with first:
                    go.wait()
                    with second:
                        pass
            return actor

        rt.spawn("left", crossed(a, b))
        rt.spawn("right", crossed(b, a))
        rt.start()
        with rt.guard:
            while rt.deadlock is None:
                rt.settled.wait(5)
            seen = time.monotonic() - rt.t0
        closing = [e for e in rt.events if e.op == "block"][-1]
        latencies.append((seen - closing.t) * 1000)
        rt.stop()
    return statistics.median(latencies)


def main():
    chan, traced = one_thread_pairs()
    wall, cpu = roundtrip()
    figures = {
        "chan_vs_queue_ratio": round(chan, 3),
        "chan_traced_vs_queue_ratio": round(traced, 3),
        "roundtrip_ratio": round(wall, 3),
        "roundtrip_cpu_ratio": round(cpu, 3),
        "sim_steps_per_s": round(sim_steps_per_second()),
        "story_sim_wall_s": round(story_wall_seconds(), 4),
        "detect_latency_ms_median": round(detection_latency_ms(), 3),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
