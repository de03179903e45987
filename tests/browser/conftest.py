"""Fixtures for real-browser tests: a JupyterLab server per notebook root, Debian's
Chromium through Playwright, and `lab`, a tab on them for each test: a fresh one, or
the module's one tab where the module says `ONE_TAB = True`.

A test module serves its own notebooks by overriding `lab_root`; by default the
server serves the course's notebooks/ folder."""
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.lab import LabPage, LabServer, launch_chromium
from tests.paths import NOTEBOOKS, TEST_OUTPUT


class LabServers:
    """Starts one LabServer per notebook root on first use; stops them all."""

    def __init__(self, state_root: Path):
        self.state_root = state_root
        self.by_root: dict[Path, LabServer] = {}

    def for_root(self, root_dir: Path) -> LabServer:
        root_dir = Path(root_dir).resolve()
        if root_dir not in self.by_root:
            state_dir = self.state_root / f"server-{len(self.by_root)}"
            self.by_root[root_dir] = LabServer(root_dir, state_dir).start()
        return self.by_root[root_dir]

    def stop_all(self) -> None:
        for server in self.by_root.values():
            server.stop()


# Package scope: the servers and the browser are shared by the browser tests and
# gone before other tests run.
@pytest.fixture(scope="package")
def lab_servers(tmp_path_factory):
    servers = LabServers(tmp_path_factory.mktemp("jupyter-lab"))
    yield servers
    servers.stop_all()


@pytest.fixture(scope="package")
def chromium(tmp_path_factory):
    with sync_playwright() as playwright:
        context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-profile"))
        yield context
        context.close()


@pytest.fixture(scope="package")
def lab_root() -> Path:
    """The folder the server serves; override it in a module to serve others."""
    return NOTEBOOKS


@pytest.fixture(scope="module")
def module_tab(chromium):
    page = chromium.new_page()
    yield page
    page.close()


@pytest.fixture
def tab(request, chromium):
    """A new browser tab for each test; or, in a module that says `ONE_TAB = True`, one
    tab for all its tests, each going on from the JupyterLab the one before left (see
    LabPage.open_notebook: loading JupyterLab costs Chromium about 5 CPU-seconds)."""
    if getattr(request.module, "ONE_TAB", False):
        yield request.getfixturevalue("module_tab")
        return
    page = chromium.new_page()
    yield page
    page.close()


@pytest.fixture
def lab(request, lab_servers, lab_root, tab):
    """`tab` on the server for `lab_root`. Screenshots land in test-output/<test name>/;
    a failing test leaves one called 'failure' there, and its tab blank, so that a test
    after it in the same tab starts JupyterLab afresh."""
    lab_page = LabPage(tab, lab_servers.for_root(lab_root), TEST_OUTPUT / request.node.name)
    yield lab_page
    lab_page.detach()
    report = getattr(request.node, "call_report", None)
    if report is not None and report.failed:
        lab_page.screenshot("failure")
        tab.goto("about:blank")


def pytest_collection_modifyitems(items):
    """Every test in this folder drives a real browser: slow, left out of `make check`;
    and it owns subprocesses (jupyter lab, chromium, Playwright's driver) and their reader
    threads. (pytest hands this hook every item of the session, not only this folder's;
    a `pytestmark` in a conftest.py would mark nothing.)"""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.allow_threads)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep the call phase's report on the test item, for the `lab` fixture; a failing
    test's report also says what its tab showed (LabPage.state)."""
    report = yield
    if report.when == "call":
        item.call_report = report
        lab = getattr(item, "funcargs", {}).get("lab")
        if report.failed and isinstance(lab, LabPage):
            try:
                report.sections.append(("the browser tab at the failure", lab.state()))
            except Exception as exc:  # a dead page or server must not hide the failure itself
                report.sections.append(("the browser tab at the failure", f"unreadable: {exc!r}"))
    return report
