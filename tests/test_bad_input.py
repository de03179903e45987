"""Nothing a user types breaks a run (issue 13): bad input is refused with the knob named,
before anything costly happens; a run that reaches a bound says so; a stall says why."""
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dining
from lessons import Scenario, explore, run
from lessons.cli.main import main
from lessons.runtime import sim
from lessons.runtime.schedule import MAX_MOVES, parse_schedule

REPO = Path(__file__).resolve().parents[1]
SMALL = Scenario(design="split", client="fast", channel_capacity=1, requests=["get 2", "ping"])


def cli(*args, package="lessons"):
    return subprocess.run([sys.executable, "-m", package, *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60)


# -- schedules (items 1, 5, 10) ----------------------------------------------------------

@pytest.mark.parametrize("text", ["S*99999999", "p0*9999999999999", f"S*{MAX_MOVES} E"])
def test_a_schedule_longer_than_any_run_is_refused_before_it_is_expanded(text):
    began = time.process_time()
    with pytest.raises(ValueError, match="a run makes at most 200,000"):
        parse_schedule(text)
    assert time.process_time() - began < 0.5   # counted, not expanded (a generous bound)


@pytest.mark.parametrize("text, words", [
    ("E*٣", "is not a move"), ("M/٣", "is not a move"), ("E*0", "repeats a move 0 times"),
    (5, "schedule must be a string"),
])
def test_a_malformed_schedule_names_the_knob(text, words):
    with pytest.raises(ValueError, match=words):
        Scenario(schedule=text)


@pytest.mark.parametrize("text", ["Z", "☃", "garbage!!", "S S Z"])
def test_a_schedule_naming_no_actor_of_the_run_says_which_actors_there_are(text):
    with pytest.raises(ValueError, match="this run has no actor .*; its actors: S .client.send."):
        run(Scenario(schedule=text))


def test_a_schedule_longer_than_the_run_is_refused_never_cut():
    whole = run(SMALL).schedule
    assert run(SMALL.with_(schedule=whole)).schedule == whole
    with pytest.raises(ValueError, match="2 of the schedule's moves left over"):
        run(SMALL.with_(schedule=whole + " E E"))


def test_a_dinner_schedule_longer_than_the_evening_is_refused():
    whole = dining.run(philosophers=2, meals=1).schedule
    with pytest.raises(ValueError, match="left over"):
        dining.run(philosophers=2, meals=1, schedule=whole + " p0")


@pytest.mark.parametrize("schedule", ["Z", "M/7", "garbage!!", "☃", "S*99999999",
                                      "p0*9999999999999", "S S S S S S S S S S S S S S"])
def test_the_cli_refuses_a_bad_schedule_in_one_line(schedule):
    done = cli("run", "--schedule", schedule)
    assert done.returncode == 2
    assert done.stderr.startswith("error: schedule") and len(done.stderr.splitlines()) == 1
    assert done.stdout == ""


# -- requests (item 9) ------------------------------------------------------------------

@pytest.mark.parametrize("requests, words", [
    (["ping @"], "@ must be followed by a time"), (["ping @ nan"], "@ must be followed"),
    (["get ５"], "in digits 0-9"), (["get ٣"], "in digits 0-9"), (["get ²"], "in digits 0-9"),
    (5, "requests must be a list of strings"), ({"ping": 1}, "requests must be a list"),
    ("ping", "requests must be a list"), ([], "at least one request"),
    ([5], "each request must be a non-empty string"),
])
def test_a_bad_request_names_the_requests_knob(requests, words):
    with pytest.raises(ValueError, match=words):
        Scenario(requests=requests)


def test_good_requests_still_read_as_before():
    sc = Scenario(requests=("get 3 @ .5", "ping @ 1.", "subscribe prices"))
    assert [(r.kind, r.count, r.at) for r in sc.script()] == [
        ("get", 3, 0.5), ("ping", None, 1.0), ("subscribe", None, None)]


# -- what run and explore take (items 4, 11) -------------------------------------------------

@pytest.mark.parametrize("what", ["single", 5])
def test_run_and_explore_say_what_they_take(what):
    with pytest.raises(TypeError, match="run takes a Scenario"):
        run(what)
    with pytest.raises(TypeError, match="explore takes a Scenario"):
        explore(what)


@pytest.mark.parametrize("bound, value", [
    ("max_seconds", float("nan")), ("max_seconds", float("inf")), ("max_seconds", 0),
    ("max_seconds", 1e308), ("max_states", float("nan")), ("max_states", 0),
    ("max_states", -1), ("max_states", 1.5), ("max_states", 10**9), ("max_states", "x"),
    ("max_states", None), ("max_depth", True), ("max_depth", 0),
])
def test_explore_refuses_a_bound_that_is_not_finite_in_range_and_of_its_type(bound, value):
    with pytest.raises(ValueError, match=f"{bound} must be"):
        explore(SMALL, **{bound: value})


@pytest.mark.parametrize("args", [
    ["explore", "--max-seconds", "inf"], ["explore", "--max-seconds", "1e308"],
    ["explore", "--max-states", "1000000000"], ["explore", "--max-states", "nan"],
    ["run", "--seed", "abc"], ["run", "--seed", "٣"], ["run", "--timeout", "nan"],
    ["run", "--request", "get ²"], ["run", "--request", "ping @"],
])
def test_the_cli_refuses_a_wrong_type_or_range_in_one_line(args):
    done = cli(*args)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and len(done.stderr.splitlines()) == 1


def test_a_dining_cli_wrong_type_is_one_line_too():
    done = cli("run", "--meals", "lots", package="dining")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1


# -- outcomes: unfinished, stall with its chain (items 6, 8) --------------------------------

@pytest.fixture
def small_step_bound(monkeypatch):
    """The sim's step bound lowered from 200,000 moves to 2,000, so that a run reaches it
    in a moment (the runs below reach the default bound too, in seconds)."""
    monkeypatch.setattr(sim, "MAX_MOVES", 2_000)


def test_a_run_cut_off_by_the_step_bound_is_unfinished_and_names_the_bound(small_step_bound):
    result = run(design="split", client="fast", requests=["get 10000"] * 5)
    assert result.outcome == "unfinished"
    assert result.bound.startswith("max_steps")
    assert "outcome: UNFINISHED" in result.summary() and "ended at its bound" in result.summary()
    assert ": UNFINISHED" in result.picture.splitlines()[0]
    d = result.to_dict()
    assert d["outcome"] == "unfinished" and d["bound"] == result.bound and d["bound_hit"]


def test_a_run_within_its_bounds_prints_no_bound():
    assert "bound" not in run(SMALL).to_dict()


@pytest.mark.parametrize("seed", range(6))
def test_a_stall_always_names_its_chain_and_the_banner_agrees(seed):
    result = run(design="split", client="stalled", requests=["get 1"], seed=seed)
    assert result.outcome == "stall"
    assert result.stall and result.stall[-1].waits_for == "client.recv"
    assert ": STALL" in result.picture.splitlines()[0]


# -- a threads run with a timer longer than the run (item 7) ---------------------------------

def test_a_threads_deadlock_with_a_one_day_timer_ends_at_the_verdict_and_says_so():
    began = time.monotonic()
    result = run(runtime="threads", timeout=86_400)
    assert time.monotonic() - began < 60   # not the run's 120 s bound (a generous bound)
    assert result.outcome == "deadlock" and result.exit is None
    # A day after shim.main began to wait, printed to a tenth of a second: t=86400 s, or
    # 86400.1 s once the deadlock forms after t=0.05 s (make check on a busy machine).
    fires = re.search(r"timer would fire at t=([\d.]+) s", result.bound)
    assert 86_400 <= float(fires.group(1)) <= 86_400 + time.monotonic() - began + 0.05
    assert fires.group(0) in result.summary()


def test_a_threads_request_due_in_a_day_is_unfinished_at_once_and_says_why():
    result = run(runtime="threads", requests=["ping @ 86400"])
    assert result.outcome == "unfinished"
    assert "client.send's timer would fire at t=86400 s" in result.bound


# -- the command line's own manners (items 1, 12) --------------------------------------------

def test_a_reader_that_goes_away_ends_the_output_quietly():
    shell = f"{sys.executable} -m lessons run --design split --client fast " \
            f"--request 'get 5000' --json | head -c 100"
    done = subprocess.run(shell, shell=True, cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert len(done.stdout) == 100
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_an_unfinished_run_on_the_cli_says_so(small_step_bound, capsys):
    assert main(["run", "--design", "split", "--client", "fast", "--json",
                 *["--request=get 10000"] * 5]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["outcome"] == "unfinished" and d["bound"].startswith("max_steps")
