"""The kernel's view of blocked threads, thread names, stacks, and ending children."""
import os
import signal
import subprocess
import sys
import time

import pytest

from lessons.primitives.pipes import RECORD, open_pipe
from lessons.runtime.linux import kernel, stacks_dump
from lessons.runtime.linux.reaper import Children, census, descendants
from tests.interrupting import ctrl_c_at
from tests.paths import REPO
from tests.wild_census import settled_census
from tests.wild_waits import wait_until_blocked

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux only")


@pytest.fixture
def blocked_child(tmp_path):
    """A child whose `engine` thread blocks writing a full pipe and whose `shim.main`
    blocks reading an empty one; yields (Popen, {name: tid}, pipes, dump file)."""
    full_r, full_w = open_pipe("notifications", 1)
    os.write(full_w, bytes(RECORD))
    empty_r, empty_w = open_pipe("replies", 1)
    dump_file = tmp_path / "stacks.txt"
    dump_file.touch()
    with Children() as children:
        proc = children.start(
            [sys.executable, "-m", "tests.wild_blocked", str(os.getpid()), str(full_w),
             str(empty_r), str(dump_file)],
            cwd=REPO, pass_fds=(full_w, empty_r), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        for fd in (full_w, empty_r):   # the child holds these ends now; we keep the others
            os.close(fd)
        tids = dict(zip(("engine", "shim.main"), map(int, proc.stdout.readline().split())))
        try:
            yield proc, tids, {"notifications": full_r, "replies": empty_w}, dump_file
        finally:
            proc.stdin.close()
            proc.stdout.close()
            os.close(full_r)
            os.close(empty_w)


def test_the_kernel_shows_who_is_blocked_in_which_pipe(blocked_child):
    proc, tids, ours, _ = blocked_child
    engine = wait_until_blocked(proc.pid, tids["engine"])
    shim_main = wait_until_blocked(proc.pid, tids["shim.main"])
    assert (engine.comm, engine.syscall, engine.state) == ("engine", "write", "S")
    assert "pipe_write" in engine.wchan          # this kernel: anon_pipe_write
    assert (shim_main.comm, shim_main.syscall) == ("shim.main", "read")
    assert "pipe_read" in shim_main.wchan        # this kernel: anon_pipe_read
    # The pipe behind each blocked fd, and who holds each end.
    notifications = kernel.pipe_inode(proc.pid, engine.fd)
    assert notifications == kernel.pipe_inode(os.getpid(), ours["notifications"])
    holders = kernel.pipe_holders([os.getpid(), proc.pid])
    assert holders[notifications]["write"] == [(proc.pid, engine.fd)]
    assert holders[notifications]["read"] == [(os.getpid(), ours["notifications"])]
    replies = kernel.pipe_inode(proc.pid, shim_main.fd)
    assert holders[replies]["read"] == [(proc.pid, shim_main.fd)]
    # How full each pipe is, looked at from outside through /proc: full, and empty.
    assert kernel.pipe_state(proc.pid, engine.fd) == (1, 1)
    assert kernel.pipe_state(proc.pid, shim_main.fd) == (0, 1)
    assert kernel.pipe_holders([os.getpid(), proc.pid]) == holders   # and that opened no fd to stay


def test_a_thread_in_poll_shows_the_fds_it_polls():
    import select
    import threading
    rfd, wfd = os.pipe()
    poller = select.poll()
    poller.register(rfd, select.POLLIN)
    thread = threading.Thread(target=poller.poll, args=(10_000,))
    thread.start()
    try:
        view = wait_until_blocked(os.getpid(), thread.native_id,
                                         test=kernel.blocked_in_poll)
        assert "poll" in view.wchan
        assert kernel.poll_fds(os.getpid(), view) == [(rfd, select.POLLIN)]
    finally:
        os.write(wfd, b"x")
        thread.join(5)
        os.close(rfd)
        os.close(wfd)


def test_py_spy_names_the_threads_and_shows_where_they_wait(blocked_child):
    proc, tids, _, _ = blocked_child
    wait_until_blocked(proc.pid, tids["engine"])
    found = stacks_dump.dump(proc.pid, timeout=10)
    if found.tool is None:
        pytest.skip(f"py-spy cannot attach here: {found.why}")
    assert found.tool == "py-spy" and found.why is None
    assert f'Thread {tids["engine"]} (idle): "engine"' in found.text
    assert '"shim.main"' in found.text and "wild_blocked.py" in found.text


def test_py_spy_text_stays_plain_when_the_caller_asks_for_colour(blocked_child, monkeypatch):
    """A Jupyter kernel sets CLICOLOR_FORCE for its children: the evidence stays text."""
    monkeypatch.setenv("CLICOLOR_FORCE", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    proc, tids, _, _ = blocked_child
    wait_until_blocked(proc.pid, tids["engine"])
    found = stacks_dump.dump(proc.pid, timeout=10)
    if found.tool is None:
        pytest.skip(f"py-spy cannot attach here: {found.why}")
    assert "\x1b" not in found.text
    assert f'Thread {tids["engine"]} (idle): "engine"' in found.text


def test_faulthandler_is_the_fallback_and_says_why(blocked_child):
    proc, tids, _, dump_file = blocked_child
    wait_until_blocked(proc.pid, tids["shim.main"])
    found = stacks_dump.dump(proc.pid, armed_path=dump_file, timeout=10, py_spy=False)
    assert found.tool == "faulthandler" and found.why == "not tried"
    assert found.text.lower().count("thread 0x") == 3   # "Current thread" for one
    assert "wild_blocked.py" in found.text


def test_py_spy_that_cannot_attach_says_why_in_one_line():
    text, why = stacks_dump.with_py_spy(2 ** 22 + 12345, timeout=10)   # no such process
    assert text is None and why.startswith("py-spy could not attach:") and "\n" not in why


def test_a_ctrl_c_during_a_stack_dump_leaves_no_process_behind(monkeypatch, tmp_path):
    """The flake hunt (flakes4) saw twenty processes runs, some interrupted, leave one
    process more: the dump's subprocess.run killed py-spy on a KeyboardInterrupt but,
    having waited a moment for it first, did not wait again, and a py-spy not done by
    then (a busy machine) stayed a zombie. Here py-spy never ends on its own and the
    Ctrl-C lands while its output is read (a profile hook)."""
    never_ends = tmp_path / "py-spy"
    never_ends.write_text("#!/bin/sh\nexec sleep 600\n")
    never_ends.chmod(0o755)
    monkeypatch.setattr(stacks_dump, "py_spy_path", lambda: str(never_ends))
    before = census()
    with ctrl_c_at(subprocess.Popen._communicate.__code__, "call"):
        with pytest.raises(KeyboardInterrupt) as caught:
            stacks_dump.with_py_spy(os.getpid(), timeout=60)
    assert census()[:4] == before[:4], caught.traceback[-1]


def test_children_die_with_their_parent(tmp_path):
    """A parent killed hard takes its children with it (PR_SET_PDEATHSIG)."""
    script = ("import os, subprocess, sys, time\n"
              "child = subprocess.Popen([sys.executable, '-c', "
              "'import os, sys, time; from lessons.runtime.linux import prctl; "
              "prctl.die_with_parent(int(sys.argv[1])); print(os.getpid(), flush=True); "
              "time.sleep(60)', str(os.getpid())], stdout=subprocess.PIPE)\n"
              "print(child.stdout.readline().decode().strip(), flush=True)\n"
              "time.sleep(60)\n")
    with Children() as children:
        parent = children.start([sys.executable, "-c", script], cwd=REPO,
                                stdout=subprocess.PIPE)
        grandchild = int(parent.stdout.readline())
        assert grandchild in descendants()
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(5)
        parent.stdout.close()
    deadline = time.monotonic() + 5
    while kernel.tasks(grandchild) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not kernel.tasks(grandchild)


def test_ending_the_children_leaves_nothing_behind():
    before = census()
    with Children() as children:
        for _ in range(3):
            children.start([sys.executable, "-c", "import time; time.sleep(60)"])
        assert census().processes == before.processes + 3
    assert settled_census(before) == before


def test_an_interrupt_still_ends_every_child():
    before = census()
    with pytest.raises(KeyboardInterrupt):
        with Children() as children:
            children.start([sys.executable, "-c", "import time; time.sleep(60)"])
            raise KeyboardInterrupt
    assert settled_census(before) == before


def test_our_own_stacks_need_no_armed_file():
    found = stacks_dump.dump(os.getpid(), py_spy=False)
    assert found.tool == "faulthandler" and "test_wild_kernel.py" in found.text


def test_a_timer_in_another_process_cannot_end_the_one_being_dumped(tmp_path, monkeypatch):
    """A dump slower than the shim's timer (py-spy on a loaded machine takes seconds):
    the other processes are held still while one is dumped, so the timer, which would
    kill the engine, fires only after the engine's dump (the flake hunt's lost stacks)."""
    from lessons.runtime.linux import evidence
    armed = tmp_path / "engine.stacks"
    engine = subprocess.Popen([sys.executable, "-c", ARMED_SLEEPER, str(armed)],
                              stdout=subprocess.PIPE, cwd=REPO)
    shim = None
    try:
        engine.stdout.readline()
        shim = subprocess.Popen([sys.executable, "-c", KILLER_ON_A_TIMER, str(engine.pid)],
                                stdout=subprocess.PIPE)
        shim.stdout.readline()
        due = time.monotonic() + TIMER
        real_dump = stacks_dump.dump

        def slow_dump(pid, *args):   # the engine's dump starts once the timer is past due
            if pid == engine.pid:
                time.sleep(max(0.0, due + 0.5 - time.monotonic()))
            return real_dump(pid, *args)
        monkeypatch.setattr(stacks_dump, "dump", slow_dump)
        dumped, _ = evidence.dumps({"engine": engine.pid, "shim": shim.pid},
                                   {"engine": str(armed)})
        assert dumped.tool in ("py-spy", "faulthandler") and dumped.text, dumped.why
        assert shim.wait(30) == 0           # continued after the dumps, its timer then fired
        assert engine.wait(30) == -signal.SIGKILL
    finally:
        for proc in (engine, shim):
            if proc is not None:
                proc.kill()
                proc.wait()
                proc.stdout.close()


TIMER = 0.3
ARMED_SLEEPER = ("import sys, time\nfrom lessons.runtime.linux.stacks_dump import arm\n"
                 "out = arm(sys.argv[1])\nprint('armed', flush=True)\ntime.sleep(60)")
KILLER_ON_A_TIMER = (f"import os, sys, time\nprint('ready', flush=True)\ntime.sleep({TIMER})\n"
                     "os.kill(int(sys.argv[1]), 9)")
