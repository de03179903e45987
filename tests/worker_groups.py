"""Which tests share an xdist worker.

`make test` and `make check` spread the tests over pytest-xdist's workers (`-n 3`, the Makefile's PYTEST_WORKERS). Each
test goes to whichever worker is free, except that the tests of one group run on one
worker, in order: tests that share what is costly to make, or that may not run twice at
once. (xdist's own `xdist_group` marker cannot say this here: the worker renames a
marked test, and pytest 9 no longer lets it.)"""
from xdist.scheduler import LoadScopeScheduling

# The first folder or file of a test's path under tests/ -> its group.
GROUPS = {
    # one JupyterLab server and one Chromium, started once (tests/browser/conftest.py)
    "browser": "browser",
    # each notebook run once per edition in a process, read by both (tests/notebook_runs.py)
    "test_notebooks.py": "notebooks",
    "test_notebook_claims.py": "notebooks",
    # every figure drawn once (tests/views_gallery.py), read by both
    "test_views_figures.py": "gallery",
    "test_views_colour.py": "gallery",
    # four submissions autograded once, read by every test of the module
    "test_grading.py": "grading",
    # a class on a hub, started once per module; useradd and userdel lock /etc/passwd
    "test_hub.py": "unix-users",
    "test_wild_isolation.py": "unix-users",
}


class ByGroup(LoadScopeScheduling):
    """xdist's scheduling by scope, a scope being a group of GROUPS or else one test.
    The scopes with the most tests are handed out first, so the long groups start at once."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0].split("/")
        first = path[1] if len(path) > 1 and path[0] == "tests" else None
        return GROUPS.get(first, nodeid)
