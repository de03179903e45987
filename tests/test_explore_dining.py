"""explore on dining philosophers: naive tables can deadlock, ordered and waiter tables cannot."""
import pytest

from lessons import explore

table = pytest.importorskip("dining.table")


def table_build(philosophers, strategy, meals=1):
    def build(policy, schedule):
        return table.build_runtime(philosophers, strategy, meals, policy, schedule)
    return build


@pytest.mark.parametrize("philosophers", [2, 3, 4])
def test_naive_philosophers_each_holding_one_fork_is_a_shortest_deadlock(philosophers):
    found = explore(table_build(philosophers, "naive"))
    assert found.verdict == "deadlock"
    assert sorted(e.actor for e in found.cycle) == [f"p{i}" for i in range(philosophers)]
    rt = table.build_runtime(philosophers, "naive", 1, "step", found.schedule)
    try:
        rt.resume()
        assert rt.deadlock is not None and rt.deadlock.cycle == found.cycle
    finally:
        rt.stop()


@pytest.mark.parametrize("philosophers, strategy", [(3, "ordered"), (4, "ordered"), (3, "waiter")])
def test_ordered_and_waiter_tables_never_deadlock(philosophers, strategy):
    found = explore(table_build(philosophers, strategy))
    assert found.verdict == "no-deadlock"
    assert found.schedule is None


@pytest.mark.parametrize("philosophers, strategy", [
    (3, "naive"), (3, "ordered"), (3, "waiter"), (2, "chandy-misra"),
    pytest.param(3, "chandy-misra", marks=pytest.mark.slow)])   # 25 times the CPU of 2
def test_reduction_keeps_every_verdict_and_the_shortest_schedule(philosophers, strategy):
    build = table_build(philosophers, strategy)
    reduced, every = explore(build), explore(build, reduce=False)
    assert (reduced.verdict, reduced.schedule, reduced.cycle) == \
        (every.verdict, every.schedule, every.cycle)
    assert reduced.states <= every.states
