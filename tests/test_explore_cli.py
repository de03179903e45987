"""`python -m lessons explore`: parameters echoed first, a summary, --json, exit 2 on bad input."""
import json

import pytest

from lessons import Scenario, explore
from lessons.cli.main import main

SMALL = ["--client", "fast", "--channel-capacity", "1", "--request", "get 2", "--request", "ping"]


def test_explore_echoes_the_search_then_the_verdict(capsys):
    assert main(["explore", *SMALL]) == 0
    first, *rest = capsys.readouterr().out.splitlines()
    assert first.startswith("# python -m lessons explore --design single --channel-capacity 1")
    assert "--request 'get 2' --request ping" in first and "--max-states 100000" in first
    assert rest[0].startswith("verdict: deadlock")
    assert any(line.startswith("cycle: ") and "shim.main" in line for line in rest)


def test_json_prints_the_verdict_and_the_schedule_that_run_replays(capsys):
    assert main(["explore", *SMALL, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["verdict"] == "deadlock"
    assert {"states", "schedules", "seconds", "schedule"} <= set(d)
    assert main(["run", *SMALL, "--schedule", d["schedule"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "deadlock"


def test_split_design_and_a_bound(capsys):
    assert main(["explore", *SMALL, "--design", "split", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "no-deadlock"
    assert main(["explore", *SMALL, "--design", "split", "--max-states", "10", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["verdict"] == "bound-hit" and d["schedule"] is None


@pytest.mark.parametrize("bad", [
    ["--max-states", "0"], ["--max-states", "many"], ["--max-seconds", "-1"],
    ["--channel-capacity", "0"], ["--runtime", "threads"], ["--schedule", "S R"],
    ["--request", "fetch everything"],
])
def test_bad_arguments_exit_2(bad, capsys):
    with pytest.raises(SystemExit) as stop:
        code = main(["explore", *bad])
        raise SystemExit(code)
    assert stop.value.code == 2
    assert "error" in capsys.readouterr().err


def test_the_default_depth_is_derived_from_the_program_and_lets_a_small_search_finish():
    # The split design with `get 256`: a long schedule (1,291 moves) in a small space
    # (1,292 states). The depth bound used to be 1,000 moves: bound-hit, proving nothing.
    found = explore(Scenario(design="split", requests=["get 256"]))
    assert found.verdict == "no-deadlock" and found.states < 2_000
    assert found.limits["max_depth"] >= 2 * 1_291   # twice one run's moves
