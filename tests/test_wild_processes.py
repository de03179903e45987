"""The story as real processes: verdicts from live processes, evidence, and clean-up."""
import json
import os
import signal
import sys
import threading
import time

import pytest

from lessons import Scenario, run
from lessons.runtime.linux.reaper import census
from lessons.runtime.processes import ProcessesRuntime
from lessons.story.processes.run import ProcessesRun
from tests.interrupting import ctrl_c_at, interrupted, threads_left
from tests.wild_census import command_line, nothing_left, settled_census  # noqa: F401 (nothing_left: a fixture)

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux only")
TIMER = 1.0   # the shim's timer: short, so twenty deadlocks take seconds


def story(**knobs):
    """The default story (get 32, then a ping), as real processes."""
    return Scenario(runtime="processes", **{"timeout": TIMER, **knobs})


def test_a_ctrl_c_as_the_clients_threads_start_leaves_none_running():
    """The flake hunt (flakes3) saw a Go run interrupted 0.05 s in leave client.send
    running (it crashed on the closed board): a Ctrl-C between the start of the client's
    first thread and the callback that stops both came out before that callback was in
    the run's stack. Here one lands there every time (a profile hook, as the thread of
    client.send is started), in a live run, whose client.send waits for clicks until it
    is stopped. GoRun starts its client the same way."""
    before = set(threading.enumerate())
    with ctrl_c_at(ProcessesRuntime.thread.__code__, "return",
                   lambda frame: frame.f_locals["name"] == "client.send"), \
            pytest.raises(KeyboardInterrupt):
        ProcessesRun(story(timeout=30), live=True).open()
    assert threads_left(before) == []


@pytest.mark.slow   # twenty runs of real processes
@pytest.mark.parametrize("attempt", range(20))
def test_single_shim_with_a_ping_deadlocks_across_processes(attempt):
    result = run(story(design="single", client="slow", seed=attempt))
    ev = result.evidence
    assert result.outcome == "deadlock", ev.watch
    assert {e.actor for e in result.cycle} == {"shim.main", "engine"}
    assert {(e.actor, e.chan, e.op) for e in result.cycle} == {
        ("shim.main", "replies", "recv"), ("engine", "notifications", "send")}
    assert result.deadlock_at < result.exit.t          # seen before the timer fired
    blocked = {b.actor: b for b in ev.blocked}
    engine = blocked["engine"]
    assert engine.waits == "send notifications"
    assert engine.kernel.syscall == "write" and "pipe_write" in engine.kernel.wchan
    [pipe] = engine.pipes
    assert pipe.channel == "notifications" and pipe.depth == pipe.capacity == 4
    assert pipe.write_end == [f"engine fd {pipe.fd}"]
    assert [end.split()[0] for end in pipe.read_end] == ["shim"]
    pipes = {p.channel: (p.depth, p.capacity) for p in ev.pipes}
    assert pipes == {"c_buffer": (1, 4), "replies": (0, 1), "notifications": (4, 4)}  # the ping waits
    shim_main = blocked["shim.main"]
    assert shim_main.waits == "recv replies" and shim_main.timer
    assert shim_main.kernel.syscall == "poll"
    assert [p.channel for p in shim_main.pipes] == ["replies"]
    exit_ = ev.shim_exit
    assert exit_.status == 1
    assert exit_.message == result.exit.message == (
        f"shim.main queued request #2 ping in the C buffer and got no response in {TIMER:g} s: "
        "unknown timeout, exiting")
    assert "is shim.main" in exit_.stderr and "call_engine" in exit_.stderr
    for role in ("engine", "shim"):
        stacks = ev.processes[role].stacks
        assert stacks.tool in ("py-spy", "faulthandler") and stacks.text
    # The JSON has the shape it always had; the notebooks' and learners' dict reading works.
    d = result.to_dict()["evidence"]
    assert list(d) == ["processes", "blocked", "pipes", "graph", "shim_exit", "watch",
                       "refused", "client"]
    assert json.loads(json.dumps(d)) == json.loads(json.dumps(ev.to_dict()))
    assert list(d["blocked"][0]) == ["actor", "process", "pid", "tid", "waits", "timer",
                                     "blocked_for", "kernel", "pipes"]
    assert list(d["processes"]["engine"]) == ["pid", "threads", "stacks"]
    assert list(d["graph"]) == ["t", "nodes", "edges"] and d["graph"]["nodes"]
    assert ev["blocked"][0]["pipes"] == d["blocked"][0]["pipes"]
    assert ev["shim_exit"]["message"] == exit_.message


@pytest.mark.parametrize("client", ["fast", "slow"])
def test_split_shim_completes_and_every_item_arrives_over_grpc(client):
    result = run(story(design="split", client=client, timeout=10))
    assert result.outcome == "completed" and result.exit is None
    assert result.answered == result.sent == 2
    assert result.delivered == result.expected == 32


@pytest.mark.parametrize("design, requests", [("split", None), ("single", ["get 32"])])
def test_a_stalled_client_is_a_stall_never_a_deadlock(design, requests):
    result = run(story(design=design, client="stalled", requests=requests))
    assert result.outcome == "stall" and result.cycle == []
    last = result.stall[-1]
    assert (last.actor, last.waits_for, last.chan, last.op) == (
        "shim.main", "client.recv", "stream", "send")   # the chain leads to the client


@pytest.mark.parametrize("knob", ["channel_capacity", "c_buffer_capacity", "stream_window"])
def test_capacities_a_pipe_cannot_hold_are_refused_before_anything_starts(knob):
    before = census()
    with pytest.raises(ValueError, match=f"{knob} must be a power of two"):
        story(**{knob: 3})
    assert settled_census(before) == before


@pytest.mark.slow   # twenty runs
def test_twenty_runs_some_interrupted_leave_nothing_behind(nothing_left):
    for i in range(20):
        sc = story(design=("single", "split")[i % 2], client="slow", seed=i)
        if i % 4 < 2:    # interrupt at a different moment each time, from launch to verdict
            interrupted(lambda: run(sc), 0.0005 + 0.05 * i)   # a lost Ctrl-C fails here
        else:
            run(sc)


def test_the_cli_prints_the_verdict_and_the_evidence(capsys):
    from lessons.cli.main import main
    assert main(["run", "--runtime", "processes", "--timeout", "1"]) == 0
    out = capsys.readouterr().out
    assert "--runtime processes" in out.splitlines()[0]
    assert "outcome: DEADLOCK" in out and "no replay" in out
    assert "engine (engine pid" in out and "notifications: fd" in out
    assert "shim exited with status 1: shim.main queued request #2 ping" in out
    assert main(["run", "--runtime", "processes", "--design", "split", "--client", "fast",
                 "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["outcome"] == "completed" and d["scenario"]["runtime"] == "processes"
    assert d["evidence"]["client"]["sent_at"]
    assert list(d["evidence"]) == ["watch", "refused", "client"]   # no verdict: no more


def test_the_cli_refuses_a_capacity_a_pipe_cannot_hold_in_one_line(capsys):
    from lessons.cli.main import main
    assert main(["run", "--runtime", "processes", "--stream-window", "3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "stream_window must be a power of two" in err


def test_other_tools_refuse_the_processes_runtime_with_a_sentence():
    from lessons.tools.live import LiveRun
    with pytest.raises(ValueError, match="runtime processes runs the whole story"):
        LiveRun(story())


def test_the_wait_for_graph_draws_processes_as_boxes_and_what_each_wait_rests_on():
    from lessons.views.waitgraph import diagram_of
    result = run(story(design="single", client="slow"))
    assert result.outcome == "deadlock", (result.outcome, result.evidence.watch)
    d = diagram_of(result)
    pids = {role: p.pid for role, p in result.evidence.processes.items()}
    assert d.groups[("system", "engine")][0] == f"engine (C process, pid {pids['engine']})"
    assert d.groups[("system", "shim")][0] == f"shim (Go process, pid {pids['shim']})"
    labels = {(a.tail, a.head): a.label for a in d.edges}
    assert labels[("engine", "shim.main")].startswith("send notifications\nwrite pipe:[")
    assert labels[("shim.main", "engine")].startswith("recv replies\npoll pipe:[")
    assert d.title.startswith("wait-for graph at t=") and "SHIM EXITED" in d.title
    # The graph was seen at the verdict, the exit came later: the title tells the two times
    # apart, and the waits the exit ended are dotted, as the sim's graphs draw them.
    assert "when the verdict was taken" in d.title
    assert f"SHIM EXITED at t={result.exit.t:.3f} s" in d.title
    styles = {(a.tail, a.head): a.style for a in d.edges}
    assert styles[("shim.main", "engine")] == "dotted"
    assert styles[("engine", "shim.main")] == "solid"


@pytest.mark.slow   # nothing_left: a census around a run
def test_an_engine_that_dies_is_an_error_and_leaves_nothing_behind(nothing_left):
    from lessons.runtime.linux.reaper import descendants

    def kill_the_engine():
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for pid in descendants():
                # python -m lessons.story.processes.child engine PATH (launch.py)
                if (command_line(pid) or [])[2:4] == ["lessons.story.processes.child", "engine"]:
                    os.kill(pid, signal.SIGKILL)
                    return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_the_engine)
    killer.start()
    try:
        with pytest.raises(RuntimeError, match="the engine process (died|ended at start)"):
            run(story(design="split", client="slow", timeout=10))
    finally:
        killer.join()


@pytest.mark.slow   # nothing_left: a census around a run
def test_a_goroutine_that_crashes_ends_its_process_and_the_run_says_so(nothing_left):
    from tests.wild_designs import crashing
    with pytest.raises(RuntimeError,
                       match=r"(?s)the shim process died \(status 3\).*ZeroDivisionError"):
        run(story(design=crashing, client="fast"))


def test_a_design_another_process_cannot_import_is_refused_at_scenario_time():
    from lessons.story.shim import Design
    from lessons.story.shim_split import requests_goroutine

    def mine(shim):
        pass
    with pytest.raises(ValueError, match="design: the processes runtime starts the shim"):
        story(design=Design("mine", requests_goroutine, mine, engine_caller="shim.requests"))


def test_not_linux_is_a_clear_error_at_scenario_time(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(ValueError, match="runtime processes needs Linux .* this is darwin"):
        Scenario(runtime="processes")
