"""The story, the fix and the look-alikes, as outcomes of whole runs (issue 2's list)."""
import json
import threading

import pytest

from lessons import Scenario, run

SEEDS = range(200)
QUICK_THREADS = dict(runtime="threads", timeout=0.3, read_interval=0.005)


def test_the_story_deadlocks_for_every_seed_and_the_timer_turns_it_into_an_exit():
    for seed in SEEDS:
        r = run(Scenario(design="single", client="slow", seed=seed))
        assert r.outcome == "deadlock", seed
        assert {e.actor for e in r.cycle} == {"shim.main", "engine"}, seed
        assert [e.chan for e in r.cycle] in (["replies", "notifications"],
                                             ["notifications", "replies"]), seed
        assert "client.recv" in r.stuck, seed
        assert r.exit.actor == "shim.main" and r.exit.t == r.deadlock_at + 3600.0, seed
        assert "no response in 3600 s" in r.exit.message


def test_the_story_deadlocks_in_real_threads_too():
    for _ in range(5):
        r = run(Scenario(design="single", client="slow", **QUICK_THREADS))
        assert r.outcome == "deadlock"
        assert {e.actor for e in r.cycle} == {"shim.main", "engine"}
        assert r.exit is not None and "no response in 0.3 s" in r.exit.message


@pytest.mark.slow   # two hundred runs for each client
@pytest.mark.parametrize("client", ["fast", "slow"])
def test_the_split_design_completes_for_every_seed(client):
    for seed in SEEDS:
        r = run(Scenario(design="split", client=client, seed=seed))
        assert r.outcome == "completed", seed
        assert (r.answered, r.delivered, r.exit) == (2, 32, None), seed


def test_the_split_design_completes_in_real_threads():
    r = run(Scenario(design="split", client="slow", runtime="threads", read_interval=0.005))
    assert r.outcome == "completed" and r.delivered == 32


@pytest.mark.parametrize("design", ["single", "split"])
def test_a_stalled_client_is_a_stall_never_a_deadlock(design):
    for seed in range(50):
        r = run(Scenario(design=design, client="stalled", requests=["get 32"], seed=seed))
        assert r.outcome == "stall" and r.cycle == [], seed
        assert r.stall[-1].waits_for == "client.recv"
    r = run(Scenario(design=design, client="stalled", requests=["get 32"], **QUICK_THREADS))
    assert r.outcome == "stall"


def test_in_the_split_design_a_stalled_client_trips_the_timer_but_is_still_a_stall():
    r = run(Scenario(design="split", client="stalled", seed=1))
    assert r.outcome == "stall" and r.cycle == []
    assert r.exit.actor == "shim.requests"     # the ping waited behind the unread answer


def test_no_second_request_no_deadlock():
    for seed in range(100):
        r = run(Scenario(design="single", requests=["get 32"], seed=seed))
        assert r.outcome == "completed", seed


def test_a_bigger_buffer_only_moves_the_threshold():
    big = dict(design="single", channel_capacity=32)
    assert all(run(Scenario(request_size=32, **big, client=c)).outcome == "completed"
               for c in ("fast", "slow"))   # the whole answer fits: no deadlock ...
    assert all(run(Scenario(request_size=64, **big, seed=s)).outcome == "deadlock"
               for s in range(20))                  # ... until the answer outgrows it again


def test_a_subscription_fills_notifications_just_like_a_big_answer():
    r = run(Scenario(requests=["subscribe prices", "changes prices 32", "ping"], seed=2))
    assert r.outcome == "deadlock"
    assert {e.actor for e in r.cycle} == {"shim.main", "engine"}


def test_same_seed_same_trace_byte_for_byte():
    a = json.dumps(run(Scenario(seed=11)).to_dict()["trace"])
    b = json.dumps(run(Scenario(seed=11)).to_dict()["trace"])
    c = json.dumps(run(Scenario(seed=12)).to_dict()["trace"])
    assert a == b and a != c


def test_a_reported_schedule_replays_the_run_under_any_seed():
    first = run(Scenario(seed=5))
    again = run(Scenario(seed=77, schedule=first.schedule))
    assert again.to_dict()["trace"] == first.to_dict()["trace"]
    assert again.schedule == first.schedule


def test_a_hundred_runs_leave_no_threads_behind():
    before = threading.active_count()
    for seed in range(95):
        run(Scenario(seed=seed))
    for _ in range(5):
        run(Scenario(**QUICK_THREADS))      # deadlocked threads runs, ended by the timer
    assert threading.active_count() == before


BAD_KNOBS = [
    ("design", "double", "design must be one of single, split"),
    ("channel_capacity", 0, "channel_capacity must be a whole number from 1 to 1000"),
    ("c_buffer_capacity", -1, "c_buffer_capacity must be a whole number from 1 to 1000"),
    ("stream_window", 2.5, "stream_window must be a whole number from 1 to 1000"),
    ("request_size", 0, "request_size must be a whole number from 1 to 10000"),
    ("client", "lazy", "client must be one of fast, slow, stalled"),
    ("read_interval", 0, "read_interval must be a number from 0.001 to 60"),
    ("timeout", -5, "timeout must be a number from 0.001 to 86400"),
    ("runtime", "fibers", "runtime must be one of threads, sim, processes, go"),
    ("seed", -1, "seed must be a whole number from 0 to 4294967295"),
    ("requests", ["fetch 3"], "requests: 'fetch 3' is not a request"),
    ("requests", ["get 0"], "count must be a whole number from 1 to 10000"),
    ("schedule", "M/x", "schedule: 'M/x' is not a move"),
]


@pytest.mark.parametrize("knob,value,message", BAD_KNOBS)
def test_bad_knobs_name_the_knob_and_its_range(knob, value, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        Scenario(**{knob: value})


def test_a_processes_run_echoes_no_seed_since_no_seed_repeats_it():
    # Notebook 10 prints this line beside "no seed repeats a run" (issue 21).
    assert "--seed" not in Scenario(runtime="processes", timeout=3).command()
    assert "--seed 3" in Scenario(seed=3).command()
