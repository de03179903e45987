"""Fixtures every test gets, the learner's edition for those that need it, and the hooks
that set up a run (in one process or over xdist's workers)."""
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.interrupting import threads_left
from tests.paths import ASSIGNMENT, NOTEBOOKS, REPO, notebook_paths
from tests.startup import iri_grammar


def pytest_configure(config):
    """Before the test modules are imported (and with them nbformat and jsonschema); and
    for every Python this run starts, which inherits PYTHONPATH (tests/startup/)."""
    iri_grammar.defer()
    startup = str(Path(__file__).with_name("startup"))
    if startup not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [startup, os.environ.get("PYTHONPATH")]))


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """Under xdist (`-n`), its default `--dist load` keeps tests/worker_groups.py's groups.
    (Imported here: a run without xdist never needs it.)"""
    if config.getvalue("dist") == "load":
        from tests.worker_groups import ByGroup
        return ByGroup(config, log)
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests marked slow first, each kind in its own order (last: after the hooks that
    mark). xdist hands out the groups of tests/worker_groups.py first, then the tests of
    no group in this order: the long ones while the cores are busy anyway, and the quick
    ones last, where they fill the cores a slow test would leave idle while it waits on
    its timers and processes (in alphabetical order, test_wild_*'s did: up to 1.2 of the
    2 cores idle in a run's last 80 s)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def no_leftover_threads(request):
    """Fail a test that leaves threads running: a leaked actor thread would keep
    blocking (or keep a lock) under the next test and make it flaky.

    Opt out with @pytest.mark.allow_threads (browser and notebook tests, whose
    helpers own subprocesses and their reader threads)."""
    if request.node.get_closest_marker("allow_threads"):
        yield
        return
    before = set(threading.enumerate())
    yield
    leftover = threads_left(before)
    if leftover:
        names = ", ".join(sorted(t.name for t in leftover))
        pytest.fail(f"the test left {len(leftover)} thread(s) running: {names}")


@pytest.fixture(scope="session")
def learner_course(tmp_path_factory):
    """A temporary nbgrader course directory holding the learner's edition, written by
    the script behind `make student` (which writes course/ the same way)."""
    course = tmp_path_factory.mktemp("course")
    written = subprocess.run([str(REPO / "scripts" / "ensure-learner-edition.sh"), str(course)],
                             env={**os.environ, "PYTHON": sys.executable},
                             capture_output=True, text=True)
    assert written.returncode == 0, written.stdout + written.stderr
    return course


@pytest.fixture(scope="session")
def notebooks_run_ahead(learner_course):
    """The notebooks' runs (tests/notebook_runs.py), started ahead in the order
    test_notebook_claims.py and test_notebooks.py ask for them: every notebook, the
    teacher's edition then the learner's; all stopped at the session's end. (Imported
    here: nbformat must come after pytest_configure.)"""
    from tests import notebook_runs
    edition = learner_course / "release" / ASSIGNMENT
    notebook_runs.ask_in_order(folder / path.name for path in notebook_paths()
                               for folder in (NOTEBOOKS, edition))
    yield
    notebook_runs.stop()


@pytest.fixture(autouse=True)
def ctrl_c_reaches_python():
    """Every test runs with Python's own Ctrl-C. A shell starts a background job with
    SIGINT ignored and Python keeps it ignored, so a suite started that way (a CI
    launcher may) would lose every interrupt the tests send, ours and the children's:
    a handler in this process is reset to the default across exec, an ignored one is not."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
