"""`python -m dining run`: parameters echoed first, --json prints only to_dict(), exit 2
on bad arguments."""
import json
import subprocess
import sys

import pytest

from dining.cli import main
from tests.paths import REPO


def test_run_echoes_its_parameters_first_then_the_picture(capsys):
    assert main(["run", "--strategy", "naive", "--seed", "0"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("# python -m dining run --philosophers 5 --strategy naive --meals 3 "
                      "--runtime sim --seed 0")
    assert out[1].startswith("outcome: DEADLOCK")
    assert any("f0> p1" in line for line in out)


def test_json_prints_only_the_result(capsys):
    assert main(["run", "--strategy", "chandy-misra", "--philosophers", "3", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["outcome"] == "completed"
    assert d["meals"] == {"p0": 3, "p1": 3, "p2": 3}


def test_a_reported_schedule_replays_from_the_command_line(capsys):
    main(["run", "--strategy", "trylock", "--seed", "49", "--json"])
    first = json.loads(capsys.readouterr().out)
    assert first["outcome"] == "livelock"
    main(["run", "--strategy", "trylock", "--schedule", first["schedule"], "--json"])
    assert json.loads(capsys.readouterr().out)["trace"] == first["trace"]


@pytest.mark.parametrize("argv, words", [
    (["--philosophers", "13"], "philosophers must be a whole number from 2 to 12, got 13"),
    (["--philosophers", "many"], "philosophers must be a whole number from 2 to 12, got 'many'"),
    (["--strategy", "polite"], "one of naive, ordered, waiter, trylock, chandy-misra"),
    (["--schedule", "p7"], "this run has no actor 'p7'"),
    (["--runtime", "threads", "--schedule", "p0"], "schedule replays the sim runtime"),
])
def test_bad_arguments_exit_2_with_a_clear_message(capsys, argv, words):
    assert exit_status(["run", *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.splitlines()) == 1


def exit_status(argv):
    """main's exit status, whether argparse exits or main returns it."""
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code


def test_python_m_dining_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "dining", "run", "--strategy", "waiter",
                           "--json"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "completed"
    bad = subprocess.run([sys.executable, "-m", "dining", "run", "--strategy", "x"],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "strategy must be one of" in bad.stderr


def test_explore_finds_the_shortest_naive_deadlock_and_run_replays_it(capsys):
    assert main(["explore", "--philosophers", "3", "--meals", "1", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["verdict"] == "deadlock"
    assert {"states", "schedules", "seconds", "schedule"} <= set(found)
    main(["run", "--philosophers", "3", "--meals", "1", "--schedule", found["schedule"], "--json"])
    assert json.loads(capsys.readouterr().out)["outcome"] == "deadlock"


def test_explore_proves_a_small_ordered_table_safe(capsys):
    assert main(["explore", "--philosophers", "3", "--strategy", "ordered", "--meals", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("# python -m dining explore --philosophers 3 --strategy ordered")
    assert out[1].startswith("verdict: no-deadlock")


def test_explore_refuses_the_threads_runtime(capsys):
    assert exit_status(["explore", "--runtime", "threads"]) == 2
    assert "explore tries every schedule of the sim runtime" in capsys.readouterr().err


def test_explore_refuses_trylock_whose_shared_books_a_search_cannot_see(capsys):
    assert exit_status(["explore", "--strategy", "trylock", "--philosophers", "2"]) == 2
    assert "explore cannot search trylock" in capsys.readouterr().err
