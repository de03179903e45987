"""The computed search against the reference: the same search with every move run in a
real runtime (explore_replay.py). Same states, schedules, moves and verdicts, the same
shortest deadlock, on a grid of small configurations, with and without pruning and
reduction; and every deadlocking schedule replays to that deadlock."""
import pytest

from lessons import Scenario, run
from lessons.explore import explore_with
from lessons.explore.learn import Successors
from lessons.explore.replay import ReplaySuccessors
from lessons.primitives.chan import select
from lessons.primitives.errors import Timeout, WouldBlock
from lessons.runtime.sim import SimRuntime

table = pytest.importorskip("dining.table")

STORY = Scenario(design="single", client="fast", channel_capacity=1, request_size=2,
                 requests=["get 2", "ping"])


def table_build(philosophers, strategy):
    def build(policy, schedule):
        return table.build_runtime(philosophers, strategy, 1, policy, schedule)
    return build


def mixed_build(policy, schedule):
    """Closes, `*_nowait`s whose results vary, a try-lock, a select with a timeout, a
    sleep holding a lock, notes, a receive on a closed channel, and a process exit on a
    timeout."""
    rt = SimRuntime(policy=policy, schedule=schedule)
    work = rt.chan("work", 1, ["producer"], ["consumer", "watcher"])
    out = rt.chan("out", 1, ["consumer"], ["watcher"])
    lock = rt.lock("lock")

    def producer():
        for i in range(2):
            work.send(i)
        rt.sleep(2.0)       # the watcher may give up first
        work.close()

    def consumer():
        for item in work:
            try:
                out.send_nowait(item)
            except WouldBlock:
                rt.note("dropped", item)
            try:
                lock.acquire_nowait()
                lock.release()
            except WouldBlock:
                pass

    def watcher():
        try:
            while True:
                # A receive case on a closed, drained channel is ready: (1, None).
                if select(out.receiving(), work.receiving(), timeout=1.0) == (1, None):
                    rt.note("closed")
                    return
                with lock:
                    rt.sleep(0.5)
        except Timeout:
            rt.exit_process("nothing came")

    for name, fn in (("producer", producer), ("consumer", consumer), ("watcher", watcher)):
        rt.spawn(name, fn, code=name[0].upper())
    return rt


def crossed_build(policy, schedule):
    """Two actors taking two locks in opposite orders through a semaphore of two."""
    rt = SimRuntime(policy=policy, schedule=schedule)
    a, b, seats = rt.lock("a"), rt.lock("b"), rt.semaphore("seats", 2)

    def taker(first, second):
        def body():
            with seats, first:
                rt.sleep(0)
                with second:
                    pass
        return body

    rt.spawn("x", taker(a, b))
    rt.spawn("y", taker(b, a))
    return rt


TARGETS = {
    "story": STORY,
    "story slow client": STORY.with_(client="slow"),
    "story stalled client": STORY.with_(client="stalled"),
    "story split": STORY.with_(design="split"),
    "single cap 2, get 3 ping get 1": STORY.with_(channel_capacity=2,
                                                  requests=["get 3", "ping", "get 1"]),
    "split cap 2, get 3 ping get 3": STORY.with_(design="split", channel_capacity=2,
                                                 requests=["get 3", "ping", "get 3"]),
    "split, stalled client, timer of 2 s": STORY.with_(design="split", client="stalled",
                                                       timeout=2.0),
    "naive 3": table_build(3, "naive"),
    "ordered 3": table_build(3, "ordered"),
    "waiter 3": table_build(3, "waiter"),
    "mixed": mixed_build,
    "crossed": crossed_build,
}
KNOBS = {"both": {}, "prune only": {"reduce": False}, "reduce only": {"prune": False}}
BIG = ("single cap 2, get 3 ping get 1", "split cap 2, get 3 ping get 3", "waiter 3")
# `make check` compares the search with both cuts on; each cut alone (the reference then
# replays many more moves) is left to `make test`.
GRID = [pytest.param(target, knobs, id=f"{name}, {how}",
                     marks=() if how == "both" else pytest.mark.slow)
        for name, target in TARGETS.items() for how, knobs in KNOBS.items()
        if how == "both" or name not in BIG]   # without pruning, the reference takes long


def figures(found):
    return (found.verdict, found.states, found.schedules, found.transitions, found.schedule,
            found.cycle, found.stuck, found.bound)


@pytest.mark.parametrize("target, knobs", GRID)
def test_the_computed_search_is_the_replayed_one(target, knobs):
    computed = explore_with(Successors, target, **knobs)
    replayed = explore_with(ReplaySuccessors, target, **knobs)
    assert figures(computed) == figures(replayed)
    assert computed.replays < replayed.replays
    if computed.schedule is None:
        return
    if isinstance(target, Scenario):
        result = run(target.with_(schedule=computed.schedule))
        assert (result.outcome, result.cycle) == ("deadlock", computed.cycle)
    else:
        rt = target("random", computed.schedule).run()
        assert rt.deadlock is not None and rt.deadlock.cycle == computed.cycle


def test_bounds_are_hit_at_the_same_place():
    for bounds in ({"max_states": 10}, {"max_depth": 6}):
        computed = explore_with(Successors, STORY.with_(design="split"), **bounds)
        replayed = explore_with(ReplaySuccessors, STORY.with_(design="split"), **bounds)
        assert figures(computed) == figures(replayed)
        assert computed.verdict == "bound-hit"


def test_threads_run_only_to_learn():
    """A handful of runtimes for hundreds of states: each learns a chain of moves."""
    found = explore_with(Successors, STORY)
    assert found.states == 195 and found.replays <= 10
