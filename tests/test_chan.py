"""The bounded channel: Go semantics, select, statistics, and refusals."""
import pytest

from lessons import Closed, SimRuntime, ThreadsRuntime, Timeout, WouldBlock, select
from lessons.runtime import sleep


@pytest.fixture
def rt():
    runtime = ThreadsRuntime()
    yield runtime
    runtime.stop()


def test_fifo_within_capacity(rt):
    ch = rt.chan("jobs", 3)
    for x in "abc":
        ch.send(x)
    assert [ch.recv(), ch.recv(), ch.recv()] == ["a", "b", "c"]


def test_nowait_pair_refuses_instead_of_waiting(rt):
    ch = rt.chan("jobs", 1)
    ch.send_nowait(1)
    with pytest.raises(WouldBlock, match="send on jobs would wait"):
        ch.send_nowait(2)
    assert ch.recv_nowait() == 1
    with pytest.raises(WouldBlock):
        ch.recv_nowait()


def test_blocking_ops_time_out(rt):
    ch = rt.chan("jobs", 1)
    with pytest.raises(Timeout, match="recv jobs timed out"):
        ch.recv(timeout=0.01)
    ch.send(1)
    with pytest.raises(Timeout):
        ch.send(2, timeout=0.01)


def test_close_drains_then_reports_closed(rt):
    ch = rt.chan("jobs", 2)
    ch.send(1)
    ch.close()
    with pytest.raises(Closed, match="after it was closed"):
        ch.send(2)
    assert ch.recv() == 1
    with pytest.raises(Closed, match="closed and empty"):
        ch.recv()
    assert list(ch) == []   # iteration ends at closed


@pytest.mark.parametrize("bad", [-1, 2.5, "4", True])
def test_capacity_must_be_a_whole_number(rt, bad):
    with pytest.raises(ValueError, match="jobs capacity must be a whole number"):
        rt.chan("jobs", bad)


def test_statistics_report_depth_and_waiters():
    rt = SimRuntime()
    ch = rt.chan("jobs", 2)
    seen = {}

    def consumer():
        ch.recv()

    def watcher():
        sleep(1)                     # by then the consumer waits on the empty channel
        seen.update(ch.statistics())
        ch.send("x")

    rt.spawn("consumer", consumer)
    rt.spawn("watcher", watcher)
    rt.run()
    assert seen == {"name": "jobs", "depth": 0, "capacity": 2, "closed": False,
                    "waiting_send": [], "waiting_recv": ["consumer"]}
    assert ch.history() == [(1.0, 1), (1.0, 0)]   # depth after the send, then the recv


def test_select_takes_whichever_is_ready(rt):
    a, b = rt.chan("a", 1), rt.chan("b", 1)
    b.send("from b")
    assert select(a.receiving(), b.receiving()) == (1, "from b")
    assert select(a.sending("x"), b.receiving(), timeout=0.01) == (0, None)
    with pytest.raises(Timeout):
        select(a.sending("y"), b.receiving(), timeout=0.01)


def test_select_is_random_when_several_are_ready():
    rt = ThreadsRuntime(seed=1)
    a, b = rt.chan("a", 100), rt.chan("b", 100)
    for i in range(50):
        a.send(i)
        b.send(i)
    picks = [select(a.receiving(), b.receiving())[0] for _ in range(50)]
    assert 10 < sum(picks) < 40      # both cases taken, neither starved
    rt.stop()


def test_select_refuses_mixed_runtimes(rt):
    other = SimRuntime()
    with pytest.raises(ValueError, match="one runtime"):
        select(rt.chan("a", 1).receiving(), other.chan("b", 1).receiving())


def test_sender_not_declared_on_a_channel_end_is_refused():
    from lessons import Misuse
    rt = SimRuntime()
    ch = rt.chan("c_buffer", 1, senders=["shim.requests"], receivers=["engine"])
    rt.spawn("shim.main", lambda: ch.send("req"))
    rt.run()
    name, exc = rt.errors[0]
    assert name == "shim.main" and isinstance(exc, Misuse)
    assert "c_buffer" in str(exc) and "shim.requests" in str(exc)
