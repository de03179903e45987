"""The verdict from live threads: the board must agree with the kernel, for a while."""
import os
import time

import pytest

from lessons.analysis.waitfor import BLOCKED
from lessons.primitives.pipechan import PipeChan
from lessons.primitives.pipes import open_pipe
from lessons.runtime.linux.board import Board
from lessons.runtime.linux.watch import LOOK_SECONDS, Watch
from lessons.runtime.processes import ProcessesRuntime

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux only")
ENDS = {"x": {"send": ("b",), "recv": ("a",)}, "y": {"send": ("a",), "recv": ("b",)}}


@pytest.fixture
def pair():
    """Actors a and b in this process, on pipes x (a -> b) and y (b -> a), one record each."""
    board = Board.create(["a", "b"], ["x", "y"])
    rt = ProcessesRuntime(board)
    fds = [open_pipe("x", 1), open_pipe("y", 1)]
    x = PipeChan(rt, "x", 1, *fds[0], ["a"], ["b"])
    y = PipeChan(rt, "y", 1, *fds[1], ["b"], ["a"])
    watch = Watch(board, {"a": os.getpid(), "b": os.getpid()}, ENDS, set(), rt.t0)
    yield rt, x, y, watch
    for pair_ in fds:
        for fd in pair_:
            os.close(fd)
    board.close()


def look_for(watch, seconds, first=False):
    """Every verdict the watch confirmed while looking for `seconds`; with `first`, only
    until one is (a deadline, not a window: on a busy machine the threads may take a
    while to block, and the looks to agree)."""
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline and not (first and seen):
        _, verdict = watch.look()
        if verdict is not None:
            seen.append(verdict)
        time.sleep(LOOK_SECONDS)
    return seen


VERDICT_SECONDS = 30   # at most, for a verdict that must come


def test_a_real_cycle_is_confirmed(pair):
    rt, x, y, watch = pair
    a = rt.thread("a", lambda: y.recv())
    b = rt.thread("b", lambda: x.recv())
    try:
        verdicts = look_for(watch, VERDICT_SECONDS, first=True)
        assert verdicts and verdicts[0].kind == "deadlock"
        assert {(e.actor, e.chan) for e in verdicts[0].cycle} == {("a", "y"), ("b", "x")}
    finally:
        x.send("free b")
        b.join(5)
        y.send("free a")
        a.join(5)


def test_a_board_the_kernel_does_not_back_is_never_a_verdict(pair):
    """b says it waits to receive from a on x, but it is asleep elsewhere, then drains x:
    a's block on the full x is transient, and no look may call it a deadlock."""
    rt, x, y, watch = pair

    def a():
        x.send(1)
        x.send(2)          # blocks in write(): x is full until b reads

    def b():
        rt.publish(BLOCKED, [("x", "recv")])   # what the board says...
        time.sleep(0.4)                         # ...while the kernel sees a sleep
        x.recv()
        x.recv()

    threads = [rt.thread("a", a), rt.thread("b", b)]
    try:
        assert look_for(watch, 0.6) == []
        assert ", deadlock: " in watch.report().last_kernel_objection   # the board said so
    finally:
        for t in threads:
            t.join(5)
    assert not any(t.is_alive() for t in threads)


def test_where_ptrace_rules_hide_the_polled_fds_poll_itself_counts(pair, monkeypatch):
    """/proc/PID/mem may be closed to us (Yama, containers): a wait in poll() then counts
    as the wait its board slot names, still only after the looks agree."""
    from lessons.runtime.linux import kernel
    rt, x, y, watch = pair
    monkeypatch.setattr(kernel, "poll_fds", lambda pid, view: None)
    a = rt.thread("a", lambda: y.recv(timeout=30))     # a timer: poll(), not read()
    b = rt.thread("b", lambda: x.recv())
    try:
        verdicts = look_for(watch, VERDICT_SECONDS, first=True)
        assert verdicts and {e.actor for e in verdicts[0].cycle} == {"a", "b"}
    finally:
        x.send("free b")
        b.join(5)
        y.send("free a")
        a.join(5)
