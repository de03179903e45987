"""The casebook: every case's buggy program deadlocks in some schedule the explorer finds,
that schedule replays to the same deadlock in a run and in step mode, and the fixed program
is proved free of deadlock; the command line runs and explores them."""
import json

import pytest

from lessons import explore, run_program
from lessons.cases import CASES, case
from lessons.cli.main import main
from lessons.tools.stepper import DEADLOCK, Stepper


def shape(result):
    return [(e.actor, e.waits_for, e.op, e.chan) for e in result.cycle], list(result.stuck)


def test_the_casebook_covers_eight_bugs_from_four_projects():
    assert len(CASES) >= 8
    assert len({c.project for c in CASES.values()}) >= 4
    for c in CASES.values():
        assert c.link.startswith("https://github.com/") and c.incident and c.fix


@pytest.mark.parametrize("name", list(CASES))
def test_the_buggy_program_deadlocks_and_its_schedule_replays(name):
    found = explore(CASES[name].buggy)
    assert found.verdict == "deadlock"
    ran = run_program(CASES[name].buggy, schedule=found.schedule)
    assert ran.outcome == "deadlock" and shape(ran) == shape(found)
    assert ran.reason == found.reason and ran.reason
    with Stepper.for_program(CASES[name].buggy) as s:
        effects = [s.step(word) for word in found.schedule_tokens()]
        assert effects[-1] == DEADLOCK and DEADLOCK not in effects[:-1]
        assert shape(s.verdict()) == shape(found)


@pytest.mark.parametrize("name", list(CASES))
def test_the_fix_is_proved(name):
    found = explore(CASES[name].fixed)
    assert found.verdict == "no-deadlock" and found.bound is None


def test_a_leak_is_a_deadlock_with_no_cycle_and_says_who_is_gone():
    found = explore(case("late-send").buggy)
    assert (found.cycle, found.stuck) == ([], ["worker"])
    assert found.reason == "worker waits to send on done: nobody left who could receive on done"


def test_an_unknown_case_names_the_choices():
    with pytest.raises(ValueError, match="case must be one of lock-across-send, "):
        case("nope")


def test_cli_lists_runs_and_explores(capsys):
    assert main(["case", "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(c.name in listed and c.link in listed for c in CASES.values())
    assert main(["case", "lost-signal", "--explore"]) == 0
    first, *rest = capsys.readouterr().out.splitlines()
    assert first.startswith("# python -m lessons case lost-signal --explore --max-states")
    assert rest[0].startswith("verdict: deadlock")
    assert any(line.startswith("leak: waiter waits on activated") for line in rest)
    assert main(["case", "lost-signal", "--fixed", "--explore", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "no-deadlock"


def test_cli_replays_an_explored_schedule(capsys):
    assert main(["case", "read-lock-twice", "--explore", "--json"]) == 0
    schedule = json.loads(capsys.readouterr().out)["schedule"]
    assert main(["case", "read-lock-twice", "--schedule", schedule]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"# python -m lessons case read-lock-twice --runtime sim --seed 0 "
                      f"--schedule '{schedule}'")
    assert out[1] == "outcome: deadlock"


@pytest.mark.parametrize("argv, message", [
    (["case", "nope"], "error: case must be one of lock-across-send, read-lock-twice"),
    (["case"], "error: case needs a NAME: one of lock-across-send"),
    (["case", "late-send", "--runtime", "gpu"], "error: runtime must be 'sim' or 'threads'"),
    (["case", "late-send", "--explore", "--runtime", "threads"], "error: --explore tries"),
    (["case", "late-send", "--explore", "--max-states", "0"], "error: argument --max-states"),
])
def test_cli_bad_arguments_exit_2_with_one_line(argv, message, capsys):
    try:
        status = main(argv)
    except SystemExit as exc:   # argparse's own refusals
        status = exc.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


# -- notebook 11's checks: wrong fixes refused, right ones accepted ------------------------

def lazy_stopper(mu, tasks):
    """Never waits for the tasks: no deadlock, and no stop either."""


def waiter_that_never_waits(mu, activated, active):
    pass


def waiter_on_the_channel(mu, activated, active):
    active.recv()           # a channel remembers what a condition forgets


def activator_on_the_channel(mu, activated, active):
    active.send(True)


def test_the_stopper_check():
    from lessons.cases.wait_under_lock import buggy_stopper, fixed_stopper
    from lessons.exercises import check_stopper_fix
    bad = check_stopper_fix(buggy_stopper)
    assert not bad and "the explorer finds a deadlock in 3 moves" in str(bad)
    assert "run_program(program(buggy_stopper), schedule='stopper*2 task')" in str(bad)
    lazy = check_stopper_fix(lazy_stopper)
    assert not lazy and "never waited for the tasks" in str(lazy)
    assert check_stopper_fix(fixed_stopper)


def test_the_activation_check():
    from lessons.cases.lost_signal import buggy_activator, buggy_waiter, fixed_activator, fixed_waiter
    from lessons.exercises import check_activation_fix
    bad = check_activation_fix(buggy_waiter, buggy_activator)
    assert not bad and "nobody left who could wake activated" in str(bad)
    early = check_activation_fix(waiter_that_never_waits, buggy_activator)
    assert not early and "went on before the plugin was activated" in str(early)
    assert check_activation_fix(fixed_waiter, fixed_activator)
    assert check_activation_fix(waiter_on_the_channel, activator_on_the_channel)


def test_a_check_reports_a_crash_as_a_sentence():
    from lessons.exercises import check_stopper_fix

    def stopper_that_misuses(mu, tasks):
        tasks.done()
        tasks.done()
    report = check_stopper_fix(stopper_that_misuses)
    assert not report and "tasks would go below zero" in str(report)
