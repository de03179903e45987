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
    assert settled_census(before) == before
