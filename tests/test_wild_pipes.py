"""Pipes as channels: exact capacities, records, blocking in the kernel, select by poll."""
import fcntl
import os
import threading
from collections import Counter

import pytest

from lessons import Closed, Timeout, WouldBlock, select
from lessons.primitives.pipechan import PipeChan, Waiter
from lessons.primitives.pipes import (
    PAGE,
    PLAIN,
    RECORD,
    check_capacity,
    decode,
    depth,
    encode,
    max_capacity,
    measure,
    open_pipe,
)
from lessons.story.processes.messages import RECORDS
from lessons.story.requests import Item, Request
from tests.wild_waits import wait_until_blocked

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux only")


@pytest.fixture
def pipes():
    """Open pipes through this; every fd is closed at the end."""
    opened = []

    def make(name, capacity, **ends):
        rfd, wfd = open_pipe(name, capacity)
        opened.extend((rfd, wfd))
        return PipeChan(Waiter(seed=1), name, capacity, rfd, wfd, **ends)

    yield make
    for fd in opened:
        os.close(fd)


def filled_by(size, record):
    """How many records of `record` bytes a pipe of `size` bytes takes, and whether
    reading one then makes room for one more."""
    rfd, wfd = os.pipe()
    try:
        fcntl.fcntl(wfd, fcntl.F_SETPIPE_SZ, size)
        os.set_blocking(wfd, False)
        count = 0
        try:
            while True:
                os.write(wfd, bytes(record))
                count += 1
        except BlockingIOError:
            pass
        os.read(rfd, record)
        try:
            os.write(wfd, bytes(record))
            room_again = True
        except BlockingIOError:
            room_again = False
        return count, room_again
    finally:
        os.close(rfd)
        os.close(wfd)


def test_page_sized_records_behave_like_a_channel():
    """The finding pipes.py is built on: one record per page slot frees one per read."""
    assert RECORD == PAGE
    assert filled_by(2 * PAGE, PAGE) == (2, True)
    assert filled_by(3 * PAGE, PAGE) == (4, True)        # rounded up to a power of two
    assert filled_by(PAGE, PAGE // 4) == (4, False)      # four share a page: no room after one read
    assert filled_by(PAGE, PAGE // 3) == (3, False)


@pytest.mark.parametrize("capacity", [1, 2, 4, 8, 64])
def test_a_pipe_holds_exactly_its_capacity(pipes, capacity):
    ch = pipes("notifications", capacity)
    rfd, wfd = ch.rfd, ch.wfd
    assert measure(rfd, wfd) == capacity
    for i in range(capacity):
        ch.send(i)
    assert len(ch) == depth(wfd) == capacity
    with pytest.raises(WouldBlock):
        ch.rt.wait((ch.sending("one too many"),), timeout=0)
    assert ch.recv() == 0
    ch.send("one more")               # reading one made room for exactly one
    assert [ch.recv() for _ in range(capacity)] == list(range(1, capacity)) + ["one more"]


@pytest.mark.parametrize("bad", [0, 3, 5, 6, 1000, max_capacity() * 2, -1, 2.0, True])
def test_capacities_a_pipe_cannot_hold_exactly_are_refused(bad):
    with pytest.raises(ValueError, match=r"channel_capacity must be a power of two from 1 "
                                         rf"to {max_capacity()} in the processes runtime"):
        check_capacity("channel_capacity", bad)


def test_every_power_of_two_up_to_the_limit_is_honoured():
    for exponent in range(max_capacity().bit_length()):
        rfd, wfd = open_pipe("c_buffer_capacity", 1 << exponent)
        os.close(rfd)
        os.close(wfd)


def test_items_round_trip_through_a_record():
    request, item = Request(2, "get", None, 32, 0.5), Item(1, "data", None, 7, 32)
    assert RECORDS.unpack(decode("c_buffer", encode("c_buffer", RECORDS.pack(request)))) == request
    assert RECORDS.unpack(decode("x", encode("x", RECORDS.pack(item)))) == item
    assert len(encode("x", RECORDS.pack(item))) == RECORD


def test_an_item_too_big_for_a_record_is_refused():
    with pytest.raises(ValueError, match=r"notifications: an item of \d+ bytes does not fit"):
        encode("notifications", PLAIN.pack("x" * RECORD))


def test_a_timed_recv_times_out_and_nowait_refuses(pipes):
    ch = pipes("replies", 1)
    with pytest.raises(Timeout, match="recv replies timed out after 0.05 s"):
        ch.recv(timeout=0.05)
    with pytest.raises(WouldBlock, match="recv on replies would wait"):
        ch.rt.wait((ch.receiving(),), timeout=0)


def test_recv_after_every_writer_closed_drains_then_reports_closed():
    rfd, wfd = open_pipe("c_buffer", 2)
    ch = PipeChan(Waiter(), "c_buffer", 2, rfd=rfd)
    os.write(wfd, encode("c_buffer", PLAIN.pack("last")))
    os.close(wfd)
    try:
        assert list(ch) == ["last"]
        with pytest.raises(Closed):
            ch.recv()
    finally:
        os.close(rfd)


def test_a_blocked_send_waits_in_the_kernel_inside_write(pipes):
    ch = pipes("notifications", 1)
    ch.send("fills it")
    thread = threading.Thread(target=ch.send, args=("waits",), name="engine")
    thread.start()
    try:
        view = wait_until_blocked(os.getpid(), thread.native_id)
        assert view.syscall == "write" and view.fd == ch.wfd
        assert "pipe_write" in view.wchan
    finally:
        assert ch.recv() == "fills it"
        thread.join(5)
    assert ch.recv() == "waits"


def test_select_polls_and_chooses_at_random_among_ready_cases(pipes):
    a, b = pipes("notifications", 4), pipes("handoff", 4)
    b.rt = a.rt
    picks = Counter()
    for _ in range(200):
        a.send("n")
        b.send("h")
        first, _ = select(a.receiving(), b.receiving())
        picks[first] += 1
        (a if first == 1 else b).recv()
    assert set(picks) == {0, 1}   # both get picked: Go's select is not biased to the first


def test_select_with_one_ready_takes_it(pipes):
    a, b = pipes("notifications", 1), pipes("handoff", 1)
    b.rt = a.rt
    b.send("request")
    assert select(a.receiving(), b.receiving()) == (1, "request")
    with pytest.raises(Timeout):
        select(a.receiving(), b.receiving(), timeout=0.02)


def test_the_same_seed_makes_the_same_select_choices(pipes):
    def choices(seed):
        a, b = pipes("notifications", 1), pipes("handoff", 1)
        b.rt = a.rt = Waiter(seed)
        picks = []
        for _ in range(20):
            a.send("n")
            b.send("h")
            picks.append(select(a.receiving(), b.receiving())[0])
            (a if picks[-1] == 1 else b).recv()
        return picks
    assert choices(7) == choices(7)
    assert choices(7) != choices(8)


def test_observers_see_each_wait_begin_and_end(pipes):
    ch = pipes("replies", 1)
    seen = []
    ch.rt.observers.append(lambda event, cases, timeout: seen.append(
        (event, [(c.name, op) for c, op, _ in cases], timeout)))
    ch.send(1)
    ch.recv(timeout=1)
    assert seen == [("wait", [("replies", "send")], None), ("done", [("replies", "send")], None),
                    ("wait", [("replies", "recv")], 1), ("done", [("replies", "recv")], 1)]
