"""Locks that know their owner and refuse what would surely hang."""
import pytest

from lessons import Misuse, SimRuntime, ThreadsRuntime, Timeout, WouldBlock


def test_lock_knows_its_owner_and_refuses_reentry():
    rt = ThreadsRuntime()
    fork = rt.lock("f0")
    fork.acquire()
    assert fork.statistics()["owner"] == rt.me().name
    with pytest.raises(Misuse, match="already holds f0; acquiring it again would wait forever"):
        fork.acquire()
    fork.release()
    with pytest.raises(Misuse, match="released f0, which is held by nobody"):
        fork.release()
    rt.stop()


def test_lock_waits_with_timeout_and_try():
    rt = SimRuntime()
    fork = rt.lock("f0")
    outcomes = []

    def holder():
        with fork:
            from lessons.runtime import sleep
            sleep(10)

    def hopeful():
        from lessons.runtime import sleep
        sleep(1)
        try:
            fork.acquire_nowait()
        except WouldBlock:
            outcomes.append("busy")
        try:
            fork.acquire(timeout=2)
        except Timeout:
            outcomes.append(("timed out", rt.now()))
        fork.acquire()
        outcomes.append(("got it", rt.now()))
        fork.release()

    rt.spawn("holder", holder)
    rt.spawn("hopeful", hopeful)
    rt.run()
    assert outcomes == ["busy", ("timed out", 3.0), ("got it", 10.0)]


def test_semaphore_admits_at_most_its_capacity():
    rt = SimRuntime(seed=4)
    waiter = rt.semaphore("waiter", 2)
    seated, most = [], [0]

    def guest():
        with waiter:
            seated.append(1)
            most[0] = max(most[0], len(seated))
            from lessons.runtime import sleep
            sleep(1)
            seated.pop()

    for i in range(4):
        rt.spawn(f"g{i}", guest)
    rt.run()
    assert most[0] == 2 and rt.clock == 2.0
