"""Both runtimes: same actor code, stop at any moment, determinism, step mode, virtual time."""
import threading
import time

import pytest

from lessons import Closed, Misuse, SimRuntime, ThreadsRuntime
from lessons.runtime import now, sleep


def crossed_forks(rt):
    """Two actors taking two locks in opposite orders: the smallest deadlock. Each tells
    the other it holds its first lock and waits to hear the same before it takes its
    second, so that they cross on real threads too, however late one of them starts (a
    sleep made it likely only: on a busy machine one took both locks first)."""
    a, b = rt.lock("a"), rt.lock("b")
    holds_a, holds_b = rt.chan("holds a", 1), rt.chan("holds b", 1)

    def left():
        with a:
            holds_a.send(True)
            holds_b.recv()
            with b:
                pass

    def right():
        with b:
            holds_b.send(True)
            holds_a.recv()
            with a:
                pass

    rt.spawn("left", left)
    rt.spawn("right", right)
    return rt


@pytest.mark.parametrize("make", [SimRuntime, ThreadsRuntime])
def test_same_actor_code_deadlocks_in_both_runtimes(make):
    rt = crossed_forks(make())
    rt.run()
    assert rt.deadlock is not None
    assert {e.actor for e in rt.deadlock.cycle} == {"left", "right"}
    assert [(e.actor, e.waits_for, e.chan) for e in rt.deadlock.cycle] in (
        [("left", "right", "b"), ("right", "left", "a")],
        [("right", "left", "a"), ("left", "right", "b")])


@pytest.mark.parametrize("make", [SimRuntime, ThreadsRuntime])
def test_stop_mid_deadlock_ends_every_thread(make):
    before = threading.active_count()
    rt = crossed_forks(make())
    if rt.kind == "sim":
        rt.resume()          # runs until nothing can move: deadlocked, threads parked
    else:
        rt.start()
        assert rt.wait_over(5)
    assert rt.deadlock is not None
    assert rt.stop()          # True: every thread ended within the stop's join window
    assert threading.active_count() == before


def test_cancel_unwinds_through_an_actors_own_except_exception():
    rt = ThreadsRuntime()
    ch = rt.chan("never", 1)
    caught = []

    def stubborn():
        try:
            ch.recv()
        except Exception as exc:      # must not swallow the stop
            caught.append(exc)

    rt.spawn("stubborn", stubborn)
    rt.start()
    time.sleep(0.05)
    assert rt.stop()
    assert caught == []


def test_sim_time_is_virtual_and_jumps_when_nothing_else_can_run():
    rt = SimRuntime()
    woke = []
    rt.spawn("sleeper", lambda: (sleep(3600), woke.append(now())))
    rt.spawn("worker", lambda: (sleep(1), woke.append(now())))
    rt.run()                  # (what it costs in wall time: benchmarks/run.py)
    assert woke == [1.0, 3600.0]


def producer_consumer(rt, items=6):
    ch = rt.chan("jobs", 2)
    got = []

    def producer():
        for i in range(items):
            ch.send(i)
        ch.close()

    def consumer():
        for x in ch:
            got.append(x)

    rt.spawn("producer", producer, code="P")
    rt.spawn("consumer", consumer, code="C")
    return got


def trace_of(rt):
    return [tuple(e) for e in rt.events]


def test_same_seed_same_trace_different_seed_different_trace():
    traces = {}
    for seed in (1, 1, 2):
        rt = SimRuntime(seed=seed)
        producer_consumer(rt)
        rt.run()
        traces.setdefault(seed, []).append((trace_of(rt), rt.schedule()))
    assert traces[1][0] == traces[1][1]
    assert traces[1][0] != traces[2][0]


def test_a_schedule_string_replays_a_run_exactly():
    first = SimRuntime(seed=7)
    producer_consumer(first)
    first.run()
    replay = SimRuntime(seed=999, schedule=first.schedule())
    got = producer_consumer(replay)
    replay.run()
    assert trace_of(replay) == trace_of(first)
    assert got == list(range(6))


def test_a_schedule_naming_a_move_not_on_offer_is_refused_plainly():
    rt = SimRuntime(schedule="P C C C")
    producer_consumer(rt)
    rt.run()
    (who, exc), = rt.errors
    assert who == "schedule" and "schedule step 3: 'C' cannot move now" in str(exc)


def test_round_robin_alternates():
    rt = SimRuntime(policy="round-robin")
    producer_consumer(rt, items=2)
    rt.run()
    assert rt.schedule().startswith("P C P C")


def test_step_mode_offers_moves_and_makes_them():
    rt = SimRuntime(policy="step")
    got = producer_consumer(rt, items=1)
    rt.resume()
    assert sorted(m[0].name for m in rt.offer()) == ["consumer", "producer"]
    while rt.offer():
        rt.step(rt.offer()[0])
    rt.stop()
    assert got == [0] and rt.over()
    with pytest.raises(ValueError, match="not on offer"):
        rt.step((rt.actors["producer"], None))


def test_an_actor_crash_surfaces_and_ends_the_run():
    rt = SimRuntime()
    rt.spawn("buggy", lambda: 1 / 0)
    rt.spawn("sleeper", lambda: sleep(5))
    rt.run()
    assert rt.errors and rt.errors[0][0] == "buggy"
    assert isinstance(rt.errors[0][1], ZeroDivisionError)


def test_recv_on_closed_channel_in_sim_reports_closed():
    rt = SimRuntime()
    ch = rt.chan("c", 1)
    seen = []

    def reader():
        try:
            ch.recv()
        except Closed as exc:
            seen.append(str(exc))

    rt.spawn("closer", ch.close)
    rt.spawn("reader", reader)
    rt.run()
    assert seen == ["c is closed and empty"]


def test_a_plain_thread_poking_a_channel_stays_outside_the_run():
    rt = ThreadsRuntime()
    inbox = rt.chan("inbox", 1)
    got = []
    rt.spawn("worker", lambda: [got.append(x) for x in inbox])
    rt.start()
    inbox.send_nowait("hello")           # from this test's thread: not an actor of the run
    assert rt.wait_over(5)               # the worker waits again: quiet, nothing hidden
    assert got == ["hello"] and "MainThread" not in rt.actors
    rt.stop()


# -- the Runtime contract (runtime/base.py lists its override points) --------------------

def test_every_in_process_runtime_is_a_runtime_and_the_base_is_abstract():
    from lessons.runtime.base import Runtime
    assert issubclass(SimRuntime, Runtime) and issubclass(ThreadsRuntime, Runtime)
    with pytest.raises(TypeError, match="abstract"):
        Runtime()

    class HalfARuntime(Runtime):   # forgot every override point but now()
        def now(self):
            return 0.0
    with pytest.raises(TypeError, match="wait"):
        HalfARuntime()


def test_every_runtime_keeps_the_contract_of_what_it_runs():
    from lessons.runtime import RUNTIMES, ActorRuntime, GoRuntime, ProcessesRuntime, RuntimeKind
    from lessons.runtime.launched import LaunchedRuntime
    assert all(issubclass(cls, RuntimeKind) for cls in RUNTIMES.values())
    # Every runtime that runs the course's actors gives them the same calls...
    assert all(issubclass(cls, ActorRuntime) for cls in (SimRuntime, ThreadsRuntime, ProcessesRuntime))
    with pytest.raises(TypeError, match="abstract"):
        ActorRuntime()
    # ...and the two the story launches as processes refuse an in-process run alike.
    for cls in (ProcessesRuntime, GoRuntime):
        assert issubclass(cls, LaunchedRuntime) and cls.separate_processes
        with pytest.raises(ValueError, match=f"runtime {cls.kind} runs .* need runtime 'threads' or 'sim'"):
            cls.for_run()


@pytest.mark.parametrize("runtime", [SimRuntime, ThreadsRuntime])
def test_reading_a_runtimes_state_without_its_guard_is_refused(runtime):
    rt = runtime()
    ch = rt.chan("jobs", 1)
    with pytest.raises(Misuse, match="inside `with rt.guard:`"):
        rt.waiters(ch)
    with pytest.raises(Misuse, match="inside `with rt.guard:`"):
        rt.views()
    with rt.guard:
        assert rt.waiters(ch) == {} and rt.views() == []
    assert ch.statistics()["waiting_send"] == []   # takes the guard itself
