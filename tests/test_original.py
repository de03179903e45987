"""The original Go program (original/) beside the model: a goroutine dump read into the
course's wait-for analysis, and, where Go is installed, the real program's verdicts."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import grpc
import pytest

from lessons import Scenario, run
from lessons.analysis.goroutines import parse
from lessons.analysis.waitfor import snapshot, verdict
from lessons.runtime.linux.kernel import ThreadView, thread_view
from lessons.runtime.linux.reaper import Children, census
from lessons.story.original import agreement, build, reading
from lessons.story.original.sources import go_run
from lessons.story.shim import Design
from lessons.story.shim_single import main_goroutine, requests_goroutine

from .interrupting import ctrl_c_at, interrupted
from .notebook_runs import executed
from .paths import NOTEBOOKS
from .test_notebooks import assert_ran_clean
from .wild_census import nothing_left  # noqa: F401  (a fixture)

NO_GO = build.missing()
needs_go = pytest.mark.skipif(NO_GO is not None, reason=f"Go is not installed: {NO_GO}")

# A look the shim wrote during the incident (single design, get 32 then ping), shortened.
LOOK = """look 7
channel requests 0 1
channel handoff 0 1
channel c_buffer 1 4
channel replies 0 1
channel notifications 4 4
channel stream/get/1 2 2
answered 1

goroutine 17 [chan send, locked to thread]:
main.goNotify(0x1, 0x0, 0x0?, 0x9, 0x20)
\t/src/original/shim/engine.go:63 +0xf9

goroutine 20 [chan receive]:
main.(*Shim).requestsGoroutine(0xc0000c7d50)
\t/src/original/shim/shim.go:55 +0x45
created by main.run
\t/src/original/shim/main.go:78 +0x6ca

goroutine 21 [select]:
main.(*Shim).callEngine(0xc0000c7d50, {0x8b1c3e, 0x9}, 0xc0001a4000)
\t/src/original/shim/shim.go:79 +0x12d
main.(*Shim).mainGoroutine(0xc0000c7d50)
\t/src/original/shim/shim.go:71 +0x1a5
created by main.run
\t/src/original/shim/main.go:79 +0x70a
"""
ENDS = {"requests": {"send": ("shim.requests",), "recv": ("client.send",)},
        "handoff": {"send": ("shim.main",), "recv": ("shim.requests",)},
        "c_buffer": {"send": ("engine",), "recv": ("shim.main",)},
        "replies": {"send": ("shim.main",), "recv": ("engine",)},
        "notifications": {"send": ("shim.main",), "recv": ("engine",)},
        "stream": {"send": ("client.recv",), "recv": ("shim.main",)}}


def test_a_dump_is_read_goroutine_by_goroutine():
    gs = parse(LOOK.partition("\n\n")[2])
    assert [(g.id, g.state, g.locked) for g in gs] == [
        (17, "chan send", True), (20, "chan receive", False), (21, "select", False)]
    assert gs[2].top() == "main.(*Shim).callEngine"
    assert gs[2].calls("mainGoroutine") and gs[2].created_by == "main.run"


def test_the_incident_look_is_the_cycle_shim_main_engine_shim_main():
    look = reading.read_look(LOOK)
    assert look.depths["notifications"] == (4, 4) and look.answered == 1
    views = reading.shim_views(look, None, "single", ENDS)
    v = verdict(snapshot(views))
    assert v.kind == "deadlock"
    assert [(e.actor, e.chan, e.op) for e in v.cycle] == [
        ("shim.main", "replies", "recv"), ("engine", "notifications", "send")]


def test_an_engine_outside_go_waits_on_the_c_buffer_when_the_kernel_says_it_sleeps():
    asleep = ThreadView(1, 2, "engine", "S", "futex_wait_queue", "futex", None, ())
    assert reading.engine_in_c(asleep, {"c_buffer": (0, 4)}) == (("c_buffer", "recv"),)
    assert reading.engine_in_c(asleep, {"c_buffer": (1, 4)}) == ()


def test_a_design_of_ones_own_dining_and_the_control_room_are_refused_for_go():
    import dining
    from lessons.tools.live import live_run
    from lessons.views import ControlRoom
    with pytest.raises(ValueError, match="^runtime: the control room runs threads"):
        live_run(Scenario(runtime="go"))
    room = ControlRoom(Scenario())
    room.knobs["runtime"].value = "go"
    assert "the control room runs threads" in room.errors["runtime"].value
    room.buttons["Send big request"].click()
    assert room.live is None     # nothing started
    room.close()
    mine = Design("mine", requests_goroutine, main_goroutine, engine_caller="shim.main")
    with pytest.raises(ValueError, match="design: runtime go"):
        Scenario(runtime="go", design=mine)
    with pytest.raises(ValueError, match="runtime must be one of threads, sim, got 'go'"):
        dining.run(runtime="go")


@needs_go
def test_the_incident_in_go_deadlocks_and_the_shim_exits_on_its_timer(nothing_left):  # noqa: F811
    r = run(Scenario(runtime="go", design="single", client="slow", timeout=1.0))
    assert r.outcome == "deadlock"
    assert [(e.actor, e.waits_for) for e in r.cycle] == [("shim.main", "engine"),
                                                         ("engine", "shim.main")]
    shim_exit = r.evidence.shim_exit
    assert shim_exit.status == 1
    assert shim_exit.message.startswith("shim.main queued request #2 ping in the C buffer")
    assert "all goroutines are asleep" not in shim_exit.stderr   # Go's detector: silent
    assert "[chan send, locked to thread]" in r.evidence.look
    d = r.to_dict()["evidence"]   # the JSON's shape, as it always was
    assert list(d) == ["look", "goroutines", "depths", "engine_thread", "graph", "shim_exit",
                       "process", "client"]
    assert d["engine_thread"] is None or list(d["engine_thread"]) == [
        "pid", "tid", "comm", "state", "wchan", "syscall", "fd", "args"]


@needs_go
@pytest.mark.parametrize("design, client, outcome", [
    ("split", "slow", "completed"), ("split", "stalled", "stall"), ("single", "fast", None)])
def test_the_fix_completes_and_a_stalled_client_is_a_stall(design, client, outcome,
                                                           nothing_left):  # noqa: F811
    # The timer outlasts a slow client's 32 reads (50 ms each): the fix never needs it.
    r = run(Scenario(runtime="go", design=design, client=client, timeout=5.0,
                     request_size=4 if outcome is None else 32, channel_capacity=4))
    assert r.outcome == (outcome or "completed")
    if r.outcome == "stall":
        assert r.stall[-1].waits_for == "client.recv"
        assert "SIGQUIT: quit" in r.evidence.sigquit.stderr   # Go's own dump at the end
    if r.outcome == "completed":
        assert r.delivered == r.expected


@needs_go
def test_a_subscription_gets_the_changes_the_engine_publishes(nothing_left):  # noqa: F811
    r = run(Scenario(runtime="go", design="split", client="fast", timeout=3600,
                     requests=["subscribe prices", "changes prices 5", "ping"]))
    assert (r.outcome, r.delivered, r.answered) == ("completed", 5, 3)


@needs_go
def test_a_call_without_the_runs_secret_is_refused():
    from lessons.story.original.run import GoRun
    from lessons.story.processes.grpc_wire import ShimClient
    with GoRun(Scenario(runtime="go", requests=["ping @ 30"]), 60) as go_run:
        with ShimClient(go_run.socket, "not the secret") as intruder:
            with pytest.raises(grpc.RpcError) as refused:
                intruder.ping(go_run.script[0]).result(timeout=10)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


# About a minute, and the same on a loaded machine: the sizes where the answer fits in
# notifications (the model allows one outcome) and one more (where it can deadlock), for
# every client and design, and well beyond it for the fix. The sizes whose outcome
# depends on how fast the machine runs the client are benchmarks/original.py's.
def agreement_grid():
    for design in ("single", "split"):
        for client in ("fast", "slow", "stalled"):
            for n in ((2, 3) if design == "single" else (2, 14)):
                yield dict(design=design, client=client, channel_capacity=2, request_size=n,
                           script="story")


@pytest.mark.slow   # a dozen runs of the Go program, 64 sim runs each
@needs_go
def test_the_go_program_does_what_the_model_says(nothing_left):  # noqa: F811
    rows = [agreement.compare(config, seeds=64) for config in agreement_grid()]
    differ = [r for r in rows if not r.agrees]
    assert not differ, "\n\n".join(
        f"{agreement.table([r])}\nGo: {r.go_evidence}\nmodel (seed 0): {r.model_evidence}"
        for r in differ)


@pytest.mark.slow   # a notebook, headless
@pytest.mark.allow_threads   # the kernel client's threads
def test_notebook_12_without_go_says_how_to_get_it_and_runs_clean(monkeypatch, tmp_path):
    """With Go hidden from PATH: the first cell names the packages; nothing needs Go."""
    for tool in ("dot",):   # what the notebook may use besides Go
        if shutil.which(tool):
            os.symlink(shutil.which(tool), tmp_path / tool)
    monkeypatch.setenv("PATH", f"{os.path.dirname(sys.executable)}:{tmp_path}")
    assert build.missing() is not None
    copy = tmp_path / "12-the-original-in-go.ipynb"   # a run of its own, not the session's
    shutil.copy(NOTEBOOKS / copy.name, copy)
    run = executed(copy)
    assert_ran_clean(run)
    said = "".join(o.get("text", "") for o in run.notebook.cells[2].outputs)
    assert "Go is not installed here" in said and "make original" in said
    needs = [c for c in run.notebook.cells if c.cell_type == "code" and "(needs Go)" in
             "".join(o.get("text", "") for o in c.outputs)]
    assert len(needs) >= 5


@needs_go
def test_a_ctrl_c_during_the_build_leaves_no_process_behind(monkeypatch, tmp_path):
    """The flake hunt (flakes3) saw Go runs interrupted 0.05 s in leave a zombie each:
    the build's subprocess.run killed build.sh on the KeyboardInterrupt but waited only
    a moment for it. Here the build never ends on its own and the Ctrl-C lands while
    its output is read (a profile hook); the interrupt is kept while the census counts."""
    script = tmp_path / "build.sh"
    script.write_text("#!/bin/sh\nexec sleep 600\n")
    script.chmod(0o755)
    monkeypatch.setattr(build, "BUILD", script)
    before = census()
    with ctrl_c_at(subprocess.Popen._communicate.__code__, "call"), \
            pytest.raises(KeyboardInterrupt) as caught:
        build.binary()
    assert census()[:4] == before[:4], caught.traceback[-1]


@needs_go
def test_a_ctrl_c_as_the_build_starts_leaves_no_pipe_open():
    """The flake hunt (flakes3) saw Go runs interrupted 0.05 s in leave two pipe fds: a
    Ctrl-C held back in Children.start comes out at its end, before its caller has the
    Popen (and its pipes) in hand. Here one lands there every time (a profile hook, as
    build.sh's Popen is made); the interrupt is kept while the census counts."""
    before = census()
    with ctrl_c_at(subprocess.Popen.__init__.__code__, "return",
                   lambda frame: frame.f_locals["args"][0] == str(build.BUILD)), \
            pytest.raises(KeyboardInterrupt) as caught:
        build.binary()
    assert census()[:4] == before[:4], caught.traceback[-1]


def running(name):
    """The pids of the live processes on this machine called `name` (a zombie is dead)."""
    views = (thread_view(int(pid), int(pid)) for pid in filter(str.isdigit, os.listdir("/proc")))
    return [v.pid for v in views if v is not None and v.comm == name and v.state != "Z"]


@needs_go
def test_a_ctrl_c_while_go_run_s_program_runs_ends_the_program_too(tmp_path, monkeypatch):
    """`go run` (notebook 12's small program) starts the program it compiled as a child
    of its own: a Ctrl-C that killed `go` alone, as subprocess.run does, left the program
    running, adopted by init and counted by no census of ours. Here the Ctrl-C comes, as
    the kernel's interrupt button sends it, once the program is running. `go` compiled in
    a go-build folder of the machine's temporary folder, and that was left too."""
    name = f"sleeps{os.getpid()}"[:15]   # the kernel's name for it: 15 characters at most
    machines = tmp_path / "tmp"
    machines.mkdir()
    monkeypatch.setenv("TMPDIR", str(machines))   # what `go` takes for the machine's
    program = tmp_path / f"{name}.go"
    program.write_text('package main\n\nimport "time"\n\nfunc main() { time.Sleep(time.Hour) }\n')
    main = threading.main_thread().ident

    def ctrl_c_once_it_runs():
        deadline = time.monotonic() + 240   # a first compile, on a busy machine
        while not running(name) and time.monotonic() < deadline:
            time.sleep(0.01)
        signal.pthread_kill(main, signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    interrupter = threading.Thread(target=ctrl_c_once_it_runs)
    try:
        interrupter.start()
        with pytest.raises(KeyboardInterrupt):
            go_run(str(program))
        assert running(name) == []
        assert list(machines.iterdir()) == []
    finally:
        interrupter.join()
        signal.signal(signal.SIGINT, previous)
        for pid in running(name):
            os.kill(pid, signal.SIGKILL)


@needs_go
def test_a_ctrl_c_as_the_go_program_starts_leaves_no_pipe_open():
    """The flake hunt (flakes2) saw a Go run interrupted 0.3 s in leave one pipe fd open.
    A Ctrl-C while the shim is being started is held back to the start's end, and the
    shim's stdout was put in the run's care only after that. Here one lands there every
    time (a profile hook, as Children.start returns); the KeyboardInterrupt, and with
    it the run, is kept while the pipes are counted, so no collector closes it first."""
    before = census().pipe_fds
    with ctrl_c_at(Children.start.__code__, "return",
                   lambda frame: frame.f_locals["argv"][0] != str(build.BUILD)), \
            pytest.raises(KeyboardInterrupt) as caught:
        run(Scenario(runtime="go", design="single", client="slow", timeout=30))
    assert census().pipe_fds == before, caught.traceback[-1]


@pytest.mark.slow   # nothing_left: a census around each run
@needs_go
@pytest.mark.parametrize("delay", [0.05, 0.3, 1.0])
def test_ctrl_c_at_any_moment_of_a_go_run_leaves_nothing_behind(delay, nothing_left,  # noqa: F811
                                                                 monkeypatch):
    """Interrupted while it builds or launches, while the client talks, while it looks.
    The run's folder goes in a temporary folder of this test's own (other runs on the
    machine make theirs in /tmp at the same time)."""
    story = Scenario(runtime="go", design="single", client="slow", timeout=30)
    mine = tempfile.mkdtemp(prefix="go-")   # short: the socket's path must fit sun_path
    monkeypatch.setattr(tempfile, "tempdir", mine)
    try:
        assert isinstance(interrupted(lambda: run(story), delay), KeyboardInterrupt)
        assert os.listdir(mine) == []
    finally:
        shutil.rmtree(mine, ignore_errors=True)
