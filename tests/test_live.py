"""LiveRun: the system in the background, fed by the learner's clicks."""
import pytest

from lessons import Scenario, run
from lessons.tools.live import LiveRun

# Threads runs get the live timer (3 s): long enough for the split shim to answer a
# ping behind a slowly read big answer. The sim's hour is compressed anyway.
THREADS = dict(runtime="threads")


def trigger(live):
    """The story: a big request, then a ping while its answer streams."""
    live.send("get 32")
    live.send("ping")


@pytest.mark.parametrize("knobs", [{}, THREADS], ids=["sim", "threads"])
def test_big_request_then_ping_deadlocks_then_the_shim_exits(knobs):
    with LiveRun(Scenario(design="single", client="slow", **knobs)) as live:
        assert live.status() == "RUNNING"
        trigger(live)
        assert live.wait_for("SHIM EXITED") == "SHIM EXITED"
        result = live.result()
    assert result.outcome == "deadlock"
    assert {e.actor for e in result.cycle} == {"shim.main", "engine"}
    assert result.exit.actor == "shim.main"
    assert result.deadlock_at <= result.exit.t


@pytest.mark.parametrize("knobs", [{}, THREADS], ids=["sim", "threads"])
def test_the_split_design_completes(knobs):
    with LiveRun(Scenario(design="split", client="slow", **knobs)) as live:
        trigger(live)
        assert live.wait_for("COMPLETED", "DEADLOCK", "SHIM EXITED") == "COMPLETED"
        assert live.result().delivered == 32


def test_a_stalled_client_stalls_the_split_shim():
    with LiveRun(Scenario(design="split", client="stalled")) as live:
        live.send("get 32")
        assert live.wait_for("STALL") == "STALL"
        assert live.result().stall[-1].waits_for == "client.recv"


def test_a_subscription_streams_changes_to_the_client():
    with LiveRun(Scenario(design="split", client="fast")) as live:
        live.send("subscribe prices")
        live.send("changes prices 5")
        assert live.wait_for("COMPLETED") == "COMPLETED"
        assert live.result().delivered == 5


def test_a_sim_replay_line_repeats_the_outcome():
    with LiveRun(Scenario(design="single", seed=4)) as live:
        trigger(live)
        live.wait_for("DEADLOCK", "SHIM EXITED")
        replay = live.replay()
        line = live.replay_line()
    assert replay.requests[0] == "get 32 @ 0"
    assert replay.requests[1].startswith("ping @ ")
    assert line.startswith("run(Scenario(design='single'")
    assert "seed=4" in line and "requests=['get 32 @ 0', 'ping @ " in line
    assert run(replay).outcome == "deadlock"
    assert eval(line, {"run": run, "Scenario": Scenario}).outcome == "deadlock"   # as printed


def test_replay_code_is_python_that_builds_the_same_scenario():
    sc = Scenario(design="split", channel_capacity=8, requests=["get 8 @ 0", "ping @ 0.1"], seed=2)
    assert eval(sc.code()) == sc


def test_a_bad_request_is_refused_and_starts_nothing():
    with LiveRun() as live:
        with pytest.raises(ValueError, match="requests"):
            live.send("gimme 32")
        assert not live.started and live.clicks == []


def test_nothing_runs_before_the_first_click_and_stop_ends_every_thread():
    live = LiveRun(Scenario(runtime="threads"))
    assert live.scenario.timeout == 3.0      # a timer a learner can sit through
    live.send("get 4")
    assert live.stop() is True
    assert live.stop() is True               # twice is fine
