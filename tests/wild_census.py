"""What a processes run leaves behind, counted: a fixture for the tests of real processes."""
import time

import pytest

from lessons import Scenario, run
from lessons.runtime.linux.kernel import thread_view
from lessons.runtime.linux.reaper import census, descendants

SETTLE_SECONDS = 5.0  # gRPC closes a channel's socket on its own threads, a moment after close()


def settled_census(expected, children=True, seconds=SETTLE_SECONDS, at_most=False):
    """census(), once it equals `expected` (with `at_most`: once no count is above it) or
    `seconds` have passed (gRPC's sockets and threads end a moment after the calls that
    end them return)."""
    deadline = time.monotonic() + seconds
    while True:
        now = census(children)
        settled = all(map(int.__le__, now, expected)) if at_most else now == expected
        if settled or time.monotonic() > deadline:
            return now
        time.sleep(0.02)


@pytest.fixture
def nothing_left():
    """The test's runs leave no process, thread, pipe fd, socket or listening port."""
    sockets = census().sockets   # the suite's own, a notebook test's event loop for one
    # A first run starts what lasts (gRPC's own state, imports); its socket closes a moment later.
    run(Scenario(runtime="processes", design="split", client="fast", timeout=1.0))
    before = settled_census(census()._replace(sockets=sockets))
    yield
    after = settled_census(before, at_most=True)
    # At most what was there before: a thread that was ending then (after the runs of an
    # earlier test) may be gone by now, and that is no leak.
    assert all(now <= then for now, then in zip(after, before)), (before, after, processes())


def processes():
    """Each live descendant as 'pid (state): command line', for a failure's report."""
    said = []
    for pid in descendants():
        view, args = thread_view(pid, pid), command_line(pid)
        if view is not None and args is not None:   # else it ended while we looked
            said.append(f"{pid} ({view.state}): {' '.join(args)}")
    return said


def command_line(pid):
    """The arguments process `pid` was started with, or None once it has ended.
    (tests/hub_probe.py reads them too, in its own way: it may use only the standard library.)"""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [arg.decode(errors="replace") for arg in f.read().split(b"\0")[:-1]]
    except OSError:
        return None
