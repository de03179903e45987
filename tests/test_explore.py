"""explore: every schedule of a small system; the shortest deadlock, or a proof of none."""
import pytest

from lessons import Scenario, explore, run
from lessons.explore import scenario_build
from lessons.explore.learn import Successors
from lessons.explore.search import Search
from lessons.runtime.schedule import parse_schedule
from lessons.story.system import System

STORY = Scenario(design="single", client="fast", channel_capacity=1, request_size=2,
                 requests=["get 2", "ping"])


def replay_in_step_mode(scenario, schedule):
    """Replay `schedule` with the step policy: it must stop there with the deadlock formed."""
    rt = System(scenario.with_(schedule=schedule), policy="step").rt
    try:
        rt.resume()
        return rt.deadlock, list(rt.tokens)
    finally:
        rt.stop()


@pytest.mark.parametrize("capacity, requests", [
    (1, ["get 2", "ping"]),
    (2, ["get 3", "ping"]),
    (1, ["get 3", "get 1", "ping"]),
    (2, ["get 3", "get 3"]),
])
def test_single_design_a_second_request_while_notifications_is_full_can_deadlock(capacity, requests):
    sc = STORY.with_(channel_capacity=capacity, requests=requests)
    found = explore(sc)
    assert found.verdict == "deadlock"
    assert {e.actor for e in found.cycle} == {"shim.main", "engine"}
    assert {e.chan for e in found.cycle} == {"replies", "notifications"}

    result = run(sc.with_(schedule=found.schedule))
    assert result.outcome == "deadlock"
    assert result.cycle == found.cycle

    deadlock, tokens = replay_in_step_mode(sc, found.schedule)
    assert deadlock is not None and deadlock.cycle == found.cycle
    assert tokens == parse_schedule(found.schedule)   # it formed at the schedule's last move


def test_single_design_an_answer_that_fits_the_buffer_cannot_deadlock():
    # The threshold moved, not the bug: one item more than the buffer holds deadlocks.
    assert explore(STORY.with_(channel_capacity=2, requests=["get 2", "get 2"])).verdict == "no-deadlock"
    assert explore(STORY.with_(channel_capacity=2, requests=["get 3", "get 2"])).verdict == "deadlock"


def test_the_reported_deadlock_is_a_shortest_one():
    found = explore(STORY)
    moves = parse_schedule(found.schedule)
    shorter = " ".join(moves[:-1])
    deadlock, _ = replay_in_step_mode(STORY, shorter)
    assert deadlock is None                          # one move less: no deadlock yet
    # Breadth-first search without the reduction (which skips orders) agrees, and so
    # does the reduction without pruning (which skips states).
    for plainer in (explore(STORY, reduce=False), explore(STORY, prune=False)):
        assert plainer.verdict == "deadlock"
        assert len(parse_schedule(plainer.schedule)) == len(moves)


def test_a_slow_client_on_virtual_time_is_explored_too():
    found = explore(STORY.with_(client="slow"))
    assert found.verdict == "deadlock"
    assert run(STORY.with_(client="slow", schedule=found.schedule)).outcome == "deadlock"


@pytest.mark.parametrize("capacity, requests", [
    (1, ["get 4", "ping"]),
    (2, ["get 3", "ping", "get 2"]),
    (3, ["get 4", "get 4", "ping"]),
])
def test_split_design_no_schedule_deadlocks(capacity, requests):
    found = explore(STORY.with_(design="split", channel_capacity=capacity, requests=requests))
    assert found.verdict == "no-deadlock"
    assert found.schedule is None and found.cycle == []
    assert found.states > 0 and found.schedules > 0


def test_reduction_and_pruning_skip_work_but_keep_the_verdict():
    split = STORY.with_(design="split")
    both = explore(split)
    prune_only = explore(split, reduce=False)
    reduce_only = explore(split, prune=False)
    assert both.verdict == prune_only.verdict == reduce_only.verdict == "no-deadlock"
    assert both.states < prune_only.states             # persistent sets skip states
    assert both.transitions < prune_only.transitions   # and orders
    assert both.states <= reduce_only.states           # caching skips repeats


def test_sleep_sets_alone_skip_orders_but_no_state():
    split = STORY.with_(design="split")
    sleep_only = Search(Successors(scenario_build(split)), 100_000, 1_000, 60.0, reduce=True,
                        prune=True, persistent=False).run()
    every = explore(split, reduce=False)
    assert sleep_only.states == every.states
    assert sleep_only.transitions < every.transitions


@pytest.mark.parametrize("knobs", [
    {"client": "slow", "channel_capacity": 2, "requests": ["get 3", "ping"]},
    {"client": "stalled", "channel_capacity": 1, "requests": ["get 2", "ping @ 0.5", "ping"]},
    {"client": "stalled", "timeout": 2.0, "requests": ["get 3", "ping"]},
    {"channel_capacity": 1, "requests": ["subscribe p", "changes p 3", "ping"]},
    {"channel_capacity": 2, "c_buffer_capacity": 1, "requests": ["get 3", "ping", "get 2"]},
], ids=["slow", "stalled, timed pings", "stalled, timer", "subscribe", "c_buffer 1"])
@pytest.mark.parametrize("design", ["single", "split"])
def test_reduction_keeps_every_verdict_and_the_shortest_schedule(design, knobs):
    """Persistent sets skip states, never a verdict, a cycle, or the shortest schedule."""
    scenario = STORY.with_(design=design, **knobs)
    reduced, every = explore(scenario), explore(scenario, reduce=False)
    assert (reduced.verdict, reduced.schedule, reduced.cycle, reduced.stuck) == \
        (every.verdict, every.schedule, every.cycle, every.stuck)


def test_a_bound_that_is_hit_says_so_instead_of_claiming_a_proof():
    split = STORY.with_(design="split")
    for bounds in ({"max_states": 20}, {"max_depth": 5}):
        found = explore(split, **bounds)
        assert found.verdict == "bound-hit"
        assert found.bound == next(iter(bounds))
        assert found.schedule is None
    assert explore(split, max_seconds=0.001).verdict == "bound-hit"   # the least allowed


def test_a_deadlock_found_within_bounds_is_still_a_deadlock():
    assert explore(STORY, max_states=1_000).verdict == "deadlock"


def test_to_dict_is_json_ready():
    d = explore(STORY).to_dict()
    assert d["verdict"] == "deadlock"
    assert {"states", "schedules", "seconds", "schedule", "cycle"} <= set(d)
    assert d["moves"] == len(parse_schedule(d["schedule"]))


def test_any_sim_system_can_be_explored_given_a_build():
    """Two actors on channels of their own: every order commutes, so reduction tries one
    order, and nothing deadlocks."""
    from lessons.runtime.sim import SimRuntime

    def build(policy, schedule):
        rt = SimRuntime(policy=policy, schedule=schedule)
        for name in ("a", "b"):
            ch = rt.chan(name, 2, [name], [name])
            rt.spawn(name, lambda ch=ch: (ch.send(1), ch.send(2), ch.recv(), ch.recv()))
        return rt

    full, reduced = explore(build, reduce=False), explore(build)
    assert full.verdict == reduced.verdict == "no-deadlock"
    assert full.states == 36                           # 5 moves each: a 6 x 6 grid
    assert reduced.states < full.states                # the channel moves in one order
    assert reduced.transitions == reduced.states - 1   # every state reached once


def test_explore_needs_the_sim_runtime():
    with pytest.raises(ValueError, match="sim"):
        scenario_build(STORY.with_(runtime="threads"))
