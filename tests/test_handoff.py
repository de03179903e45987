"""The threads runtime's hand-off between two plain threads (the benchmark's ping-pong):
every item arrives, in order, however the two threads interleave."""
import threading

from lessons import ThreadsRuntime


def test_two_threads_ping_pong_twenty_thousand_times():
    # A waker may free a parked thread before it has begun to wait on its wake lock;
    # this once raised AttributeError in one of the two, about once in 40,000 parks.
    rt = ThreadsRuntime(trace=False)
    there, back = rt.chan("there", 1), rt.chan("back", 1)
    n, got, errors = 20_000, [], []

    def echo():
        try:
            for _ in range(n):
                back.send(there.recv())
        except BaseException as exc:   # reported below, not lost with the thread
            errors.append(exc)

    t = threading.Thread(target=echo)
    t.start()
    for i in range(n):
        there.send(i)
        got.append(back.recv(timeout=10))
    t.join(10)
    assert not errors and got == list(range(n))
