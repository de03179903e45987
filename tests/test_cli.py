"""`python -m lessons run`: parameters echoed first, a summary, --json, exit 2 on bad input."""
import json
import subprocess
import sys

import pytest

from lessons.cli.main import main


def lessons(*args):
    return subprocess.run([sys.executable, "-m", "lessons", *args], capture_output=True,
                          text=True, timeout=60)


def test_run_echoes_every_parameter_first_then_the_verdict():
    out = lessons("run", "--seed", "3")
    assert out.returncode == 0
    first, *rest = out.stdout.splitlines()
    assert first.startswith("# python -m lessons run --design single --channel-capacity 4")
    assert "--seed 3" in first and "--runtime sim" in first
    assert rest[0].startswith("outcome: DEADLOCK")
    assert any(line.startswith("cycle: shim.main -(recv replies)-> engine") for line in rest)


def test_the_echoed_command_repeats_the_run(capsys):
    assert main(["run", "--design", "split", "--request", "get 5", "--request", "ping @ 0.5"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    argv = __import__("shlex").split(first.lstrip("# "))[3:]
    assert main(argv + ["--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["outcome"] == "completed"
    assert again["scenario"]["requests"] == ["get 5", "ping @ 0.5"]


def test_json_prints_only_the_result(capsys):
    assert main(["run", "--json", "--seed", "1"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["outcome"] == "deadlock"
    assert {"cycle", "stuck", "exit", "trace", "schedule"} <= set(d)
    assert set(d["trace"][0]) == {"t", "actor", "op", "chan", "item", "depths"}


@pytest.mark.parametrize("args,message", [
    (["--channel-capacity", "0"], "channel_capacity must be a whole number from 1 to 1000"),
    (["--client", "lazy"], "client must be one of fast, slow, stalled"),
    (["--request", "get"], "requests: 'get' is not a request"),
    (["--runtime", "threads", "--schedule", "M"], "schedule replays the sim runtime's choices"),
    (["--channel-capacity", "four"], "channel_capacity must be a whole number from 1 to 1000"),
])
def test_bad_arguments_exit_2_with_the_knob_named(args, message):
    out = lessons("run", *args)
    assert out.returncode == 2
    assert message in out.stderr
    assert out.stdout == ""
