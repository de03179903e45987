"""What a processes run leaves behind, counted: a fixture for the tests of real processes."""
import pytest

from lessons import Scenario, run
from lessons.runtime.linux.reaper import census, settled_census


@pytest.fixture
def nothing_left():
    """The test's runs leave no process, thread, pipe fd, socket or listening port."""
    sockets = census().sockets   # the suite's own, a notebook test's event loop for one
    # gRPC starts its own lasting threads on its first run; its socket closes a moment later.
    run(Scenario(runtime="processes", design="split", client="fast", timeout=1.0))
    before = settled_census(census()._replace(sockets=sockets))
    yield
    after = settled_census(before, at_most=True)
    # At most what was there before: a thread that was ending then (one of gRPC's own C
    # threads, after the runs of an earlier test) may be gone by now, and that is no leak.
    assert all(now <= then for now, then in zip(after, before)), (before, after)
