"""The dining table: what issue 6 says it must show, in both runtimes."""
import pytest

import dining
from dining.dinner import STARVING_OVERTAKES
from dining.table import LIVELOCK_FAILURES_EACH

COFFMAN = {"mutual exclusion", "hold and wait", "no preemption", "circular wait"}
SAFE = ("ordered", "waiter", "chandy-misra")
SWEEP_SEEDS = range(200)


def sweep_philosophers(seed):
    """Every N from 2 to 8, in turn, over the sweep's seeds."""
    return 2 + seed % 7


def ring_of(n):
    return {f"p{i}" for i in range(n)}, {f"f{i}" for i in range(n)}


def test_naive_five_deadlocks_with_a_five_cycle_for_most_seeds():
    results = [dining.run(philosophers=5, strategy="naive", seed=s) for s in range(50)]
    deadlocks = [r for r in results if r.outcome == "deadlock"]
    assert len(deadlocks) > len(results) * 3 // 4
    philosophers, forks = ring_of(5)
    for r in deadlocks:
        assert len(r.cycle) == 5
        assert {e.actor for e in r.cycle} == philosophers   # everyone holds one, waits for one
        assert {e.chan for e in r.cycle} == forks
        assert all(e.op == "acquire" for e in r.cycle)
        assert set(r.stuck) == philosophers


def test_naive_cycle_runs_from_each_philosopher_to_his_right_neighbour():
    r = dining.run(strategy="naive", seed=0)
    assert r.outcome == "deadlock"
    for e in r.cycle:   # p(i) waits for f(i), which p(i+1) lifted as his left fork
        i = int(e.actor[1:])
        assert e.chan == f"f{i}" and e.waits_for == f"p{(i + 1) % 5}"


def test_naive_deadlock_is_caught_in_the_threads_runtime_too():
    # Real threads deadlock when all five lift their left fork within a few ms of each
    # other: nearly always, but a loaded machine may stagger them, so allow a few evenings.
    # What is tested is that the detector catches it on real threads.
    for _ in range(5):
        r = dining.run(strategy="naive", runtime="threads")
        if r.outcome == "deadlock":
            break
    assert r.outcome == "deadlock"
    assert {e.actor for e in r.cycle} == ring_of(5)[0]
    assert r.schedule is None


@pytest.mark.slow      # 600 dinners; `make check` keeps test_explore_dining's searches of every schedule
@pytest.mark.parametrize("strategy", SAFE)
def test_safe_strategies_never_deadlock_over_a_sweep(strategy):
    for seed in SWEEP_SEEDS:
        n = sweep_philosophers(seed)
        r = dining.run(philosophers=n, strategy=strategy, seed=seed)
        assert r.outcome == "completed", (n, seed, r.summary())
        assert r.meals == {f"p{i}": 3 for i in range(n)}


@pytest.mark.slow      # 100 dinners of 6 meals
def test_chandy_misra_starves_nobody():
    """No neighbour eats twice while you wait: overtaken at most once per neighbour."""
    for seed in range(100):
        n = sweep_philosophers(seed)
        r = dining.run(philosophers=n, strategy="chandy-misra", meals=6, seed=seed)
        assert r.outcome == "completed"
        assert r.starving == []
        assert max(r.overtaken.values()) <= 2, (n, seed, r.overtaken)


def test_ordered_can_starve_someone_that_chandy_misra_would_not():
    starving = [s for s in range(40)
                if dining.run(strategy="ordered", meals=10, seed=s).starving]
    assert starving, "ordered is fair in every one of these runs"
    r = dining.run(strategy="ordered", meals=10, seed=starving[0])
    assert all(r.overtaken[p] > STARVING_OVERTAKES for p in r.starving)


def test_trylock_livelock_is_found_by_a_seed():
    found = [s for s in range(100) if dining.run(strategy="trylock", seed=s).outcome == "livelock"]
    assert found
    r = dining.run(strategy="trylock", seed=found[0])
    assert r.failures >= LIVELOCK_FAILURES_EACH * 5
    assert r.cycle == [] and r.deadlock_at is None   # nobody waits for good: they keep trying
    assert any(e.op == "livelock" for e in r.trace)


def test_trylock_livelock_replays_from_its_schedule_under_any_seed():
    livelock = dining.run(strategy="trylock", seed=49)
    assert livelock.outcome == "livelock"
    replay = dining.run(strategy="trylock", seed=7, schedule=livelock.schedule)
    assert replay.outcome == "livelock"
    assert replay.trace == livelock.trace
    assert replay.schedule == livelock.schedule


def test_livelock_is_declared_only_while_nobody_eats():
    r = dining.run(strategy="trylock", seed=49)
    declared = next(i for i, e in enumerate(r.trace) if e.op == "livelock")
    meals = [i for i, e in enumerate(r.trace) if e.op == "eat"]
    failures_since_last_meal = [e for e in r.trace[max(meals, default=0):declared]
                                if e.op == "release"]
    assert len(failures_since_last_meal) >= LIVELOCK_FAILURES_EACH * 5


def test_same_seed_same_trace_different_seed_other_trace():
    a, b = (dining.run(strategy="waiter", seed=3) for _ in range(2))
    assert a.trace == b.trace and a.schedule == b.schedule
    assert dining.run(strategy="waiter", seed=4).schedule != a.schedule


def test_naive_deadlock_replays_from_its_schedule():
    r = dining.run(strategy="naive", seed=5)
    assert r.outcome == "deadlock"
    assert dining.run(strategy="naive", seed=0, schedule=r.schedule).cycle == r.cycle


@pytest.mark.parametrize("strategy", SAFE)
def test_safe_strategies_complete_in_the_threads_runtime(strategy):
    for n in (2, 5):
        r = dining.run(philosophers=n, strategy=strategy, runtime="threads")
        assert r.outcome == "completed", r.summary()


def test_trylock_in_threads_ends_and_says_how():
    """Real threads in step (same think, reach and back-off) tend to fail together."""
    r = dining.run(strategy="trylock", runtime="threads")
    assert r.outcome in ("livelock", "completed")
    assert r.outcome == "completed" or r.failures >= LIVELOCK_FAILURES_EACH * 5


def test_waits_and_meals_are_booked_per_philosopher():
    r = dining.run(philosophers=4, strategy="waiter", meals=2, seed=1)
    assert set(r.waits) == ring_of(4)[0]
    assert all(len(w) == 2 and min(w) >= 0 for w in r.waits.values())
    assert r.throughput() == pytest.approx(8 / r.seconds)


def test_each_strategy_names_the_coffman_condition_it_breaks():
    assert dining.STRATEGIES["naive"].breaks == ""
    for name in ("ordered", "waiter", "trylock", "chandy-misra"):
        assert dining.STRATEGIES[name].breaks in COFFMAN


@pytest.mark.parametrize("knobs, words", [
    ({"philosophers": 1}, "philosophers must be a whole number from 2 to 12"),
    ({"philosophers": 13}, "from 2 to 12"),
    ({"strategy": "polite"}, "naive, ordered, waiter, trylock, chandy-misra"),
    ({"meals": 0}, "meals must be"),
    ({"runtime": "fibers"}, "threads, sim"),
    ({"runtime": "threads", "schedule": "p0"}, "schedule replays the sim runtime"),
    ({"schedule": "p0 p1/x"}, "is not a move"),
])
def test_bad_knobs_are_refused_with_the_allowed_values(knobs, words):
    with pytest.raises(ValueError, match=words):
        dining.run(**knobs)


def test_a_schedule_that_does_not_fit_says_which_moves_were_on_offer():
    with pytest.raises(ValueError, match="p0/5.*cannot move now.*p0, p1"):
        dining.run(schedule="p0/5")


def test_to_dict_is_json_ready():
    import json
    d = json.loads(json.dumps(dining.run(strategy="naive", seed=0).to_dict()))
    assert d["outcome"] == "deadlock"
    assert d["dinner"]["strategy"] == "naive"
    assert len(d["cycle"]) == 5 and d["cycle"][0]["op"] == "acquire"
    assert set(d["meals"]) == ring_of(5)[0]


def test_picture_shows_every_fork_held_by_the_philosopher_on_its_right_in_a_naive_deadlock():
    r = dining.run(strategy="naive", seed=0)
    assert "DEADLOCK" in r.picture
    assert "p0  f0> p1  f1> p2  f2> p3  f3> p4  f4> (p0)" in r.picture


def test_exercise_checks_reject_a_wrong_answer_and_accept_a_right_one():
    from dining import naive
    from dining.checks import check_livelock_seed, check_strategy

    def alternating(table, i):
        left, right = table.left(i), table.right(i)
        for fork in ((left, right) if i % 2 == 0 else (right, left)):
            table.take(fork)

    wrong = check_strategy(naive.pick_up)
    assert not wrong and "schedule:" in str(wrong) and str(wrong).startswith("✗ not yet")
    assert check_strategy(alternating) and str(check_strategy(alternating)).startswith("✓ right")
    assert not check_livelock_seed(0)
    shown = check_livelock_seed(49)          # the notebook's own example is not an answer
    assert not shown and "the one the notebook showed you" in str(shown)
    right = check_livelock_seed(71)
    assert right and "schedule=" in str(right)


def test_a_strategy_that_crashes_is_said_as_a_sentence_and_its_replay_runs(capsys):
    from dining.checks import check_livelock_seed, check_strategy

    def grabbing(table, i):
        table.grab(table.left(i))

    report = check_strategy(grabbing)
    assert not report and "crashed in your code with AttributeError" in str(report)
    assert "Traceback" not in str(report)

    def naive_pick_up(table, i):
        table.take(table.left(i))
        table.take(table.right(i))

    report = check_strategy(naive_pick_up)
    exec(report.replay, {"naive_pick_up": naive_pick_up})
    assert capsys.readouterr().out.startswith("outcome: DEADLOCK")
    exec(check_livelock_seed(0).replay, {})
    assert capsys.readouterr().out.startswith("outcome: COMPLETED")
