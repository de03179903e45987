"""Which tests share an xdist worker.

`make test` and `make check` spread the tests over pytest-xdist's workers (`-n 4`, the Makefile's PYTEST_WORKERS). Each
test goes to whichever worker is free, except that the tests of one group run on one
worker, in order: tests that share what is costly to make, or that may not run twice at
once. (xdist's own `xdist_group` marker cannot say this here: the worker renames a
marked test, and pytest 9 no longer lets it.)"""
from xdist.scheduler import LoadScopeScheduling

# A test's path under tests/ (a folder or file, its first part or more) -> its group; the
# longest that names one wins.
GROUPS = {
    # one JupyterLab server and one Chromium per worker, started once for the folder
    # (tests/browser/conftest.py): the learner's walk through the notebooks, the longest,
    # on one worker, and the other browser tests on another
    "browser": "browser",
    "browser/test_every_notebook.py": "browser-walk",
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
        if path[0] != "tests":
            return nodeid
        for end in range(len(path), 1, -1):
            group = GROUPS.get("/".join(path[1:end]))
            if group is not None:
                return group
        return nodeid
