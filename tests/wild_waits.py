"""Waiting, in a test, until the kernel shows a thread blocked (read from /proc)."""
import time

from lessons.runtime.linux.kernel import blocked_in_pipe, thread_view


def wait_until_blocked(pid, tid, timeout=5.0, test=blocked_in_pipe):
    """Poll /proc until the thread is asleep as `test` says; its view, or TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        view = thread_view(pid, tid)
        if view is not None and test(view):
            return view
        if time.monotonic() > deadline:
            raise TimeoutError(f"thread {tid} of {pid} did not block in time: {view}")
        time.sleep(0.005)
