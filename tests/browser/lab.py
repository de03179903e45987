"""Drive JupyterLab in Debian's Chromium the way a learner does.

Two pieces, used by the fixtures in tests/browser/conftest.py:

- `LabServer`: a real `jupyter lab` subprocess on 127.0.0.1, a port the system
  gives it and a random token, its kernels on Unix sockets as on the class's hub,
  with its settings, workspaces and config in a private folder so the user's own
  Jupyter set-up never leaks into a test.
- `LabPage`: a Playwright page on that server, with the steps a test needs:
  open a notebook, wait for the kernel, Run All Cells (through the Run menu,
  as a learner would), click a button (or two at once) by its label, read text,
  screenshot.

A test for a course notebook looks like:

    def test_deadlock_banner(lab):
        lab.run_notebook("04-trigger-it.ipynb")   # open, Run All, no errors
        lab.click_together("Send big request", "Send ping")
        lab.wait_for_deadlock()
        lab.screenshot("04-deadlock")
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path

import nbformat
from playwright.sync_api import BrowserContext, Locator, Page, Playwright, expect

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# As root there is no sandbox; the rest keep Chromium off the network, which is
# closed here and would otherwise be retried at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# User settings for the test server. No autosave: a test that runs a course
# notebook must not write its outputs into the committed file. No news or update
# checks: they fetch from the internet and pop a notification over screenshots.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

# No build check: at each page load JupyterLab asks its server whether it needs a rebuild,
# and the server answers by running Node (`yarn config`, about 0.4 CPU-seconds) when
# Node is installed, as it is here, for a prompt the course never needs.
LAB_PAGE_CONFIG = {"buildCheck": False, "buildAvailable": False}

# The size the course is checked at: a laptop screen, JupyterLab's file browser open.
VIEWPORT = {"width": 1400, "height": 1000}

SERVER_START_SECONDS = 300   # generous: under load 20-50 it took over 60 s (nbgrader's extension alone 13 s)
KERNEL_IDLE_SECONDS = 60
RUN_ALL_SECONDS = 240  # below pytest-timeout, so the helper's own error shows
SCROLL_TRIES, SCROLL_SETTLE_MS = 10, 150
# Every other wait (a click, a locator's wait_for, expect): Playwright's own defaults,
# 30 s and expect's 5 s, ran out on a loaded 2-core machine. A wait ends as soon as
# its condition holds, so a long one costs nothing when all is well.
WAIT_SECONDS = 120
# How much of a failing tab a test's report shows (see LabPage.state).
CONSOLE_LINES, OUTPUT_CHARS = 60, 4000


class LabServer:
    """A `jupyter lab` subprocess serving `root_dir`; its state lives in `state_dir`.

    `start()` returns once /api/status answers with the token; `stop()` ends the
    server (and so its kernels). The server's output goes to `state_dir/lab.log`,
    which a start-up failure quotes.

    No port is chosen here ahead of the server: a port found free here and bound by
    the server seconds later may be taken in between by any connection the suite
    opens. The server is given port 0, picks one as it starts listening, and says
    which in its runtime folder; its kernels listen on Unix sockets there
    (`--KernelManager.transport=ipc`, as on the hub). The runtime folder is a short one
    of its own in the system's temporary folder, because a Unix socket's path has at
    most 107 bytes and pytest's folders are deep."""

    def __init__(self, root_dir: Path, state_dir: Path):
        self.root_dir = Path(root_dir)
        self.state_dir = Path(state_dir)
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="lab-"))
        self.token = secrets.token_hex(16)
        self.base_url = ""          # known once the server says which port it bound
        self.log_path = self.state_dir / "lab.log"
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        """The address of `path` (e.g. 'lab/tree/x.ipynb'), token included."""
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{separator}token={self.token}"

    def _environment(self) -> dict[str, str]:
        settings_dir = self.state_dir / "settings"
        for name, values in LAB_SETTINGS.items():
            path = settings_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        page_config = self.state_dir / "config" / "labconfig" / "page_config.json"
        page_config.parent.mkdir(parents=True, exist_ok=True)
        page_config.write_text(json.dumps(LAB_PAGE_CONFIG))
        private = {
            "JUPYTERLAB_SETTINGS_DIR": settings_dir,
            "JUPYTERLAB_WORKSPACES_DIR": self.state_dir / "workspaces",
            "JUPYTER_CONFIG_DIR": self.state_dir / "config",
            "JUPYTER_DATA_DIR": self.state_dir / "data",
            "JUPYTER_RUNTIME_DIR": self.runtime_dir,
        }
        return {**os.environ, **{key: str(value) for key, value in private.items()}}

    def start(self) -> LabServer:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--allow-root",  # jupyter refuses root without it (CI, containers); no effect otherwise
            "--ip", "127.0.0.1",
            "--port=0",
            "--KernelManager.transport=ipc",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, env=self._environment(),
            )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        info = self.runtime_dir / f"jpserver-{self.process.pid}.json"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}")
            self.base_url = self.base_url or self._bound_url(info)
            if self.base_url and self._answers():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {SERVER_START_SECONDS} s:\n{self.log_tail()}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url("api/status"), timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    @staticmethod
    def _bound_url(info: Path) -> str:
        """The server's address once its runtime file says which port it bound, else ''."""
        try:
            return f"http://127.0.0.1:{json.loads(info.read_text())['port']}"
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            return ""   # not written yet, or half written

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def shut_down_kernels(self) -> None:
        """End every session's kernel (and so every thread a notebook started)."""
        with urllib.request.urlopen(self.url("api/sessions"), timeout=10) as response:
            sessions = json.load(response)
        for session in sessions:
            request = urllib.request.Request(self.url(f"api/sessions/{session['id']}"),
                                             method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: the server shuts its kernels down, no prompt
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.runtime_dir, ignore_errors=True)


def write_notebook(path: Path, *sources: str) -> Path:
    """Write a notebook of code cells (kernel python3) at `path`: for a test
    that needs a notebook of its own rather than one of the course's."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return path


def launch_chromium(playwright: Playwright, user_data_dir: Path) -> BrowserContext:
    """Debian's Chromium, headless, with a fresh profile in `user_data_dir`, and
    WAIT_SECONDS for every wait that names no time of its own."""
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=VIEWPORT,
    )
    context.set_default_timeout(WAIT_SECONDS * 1000)
    expect.set_options(timeout=WAIT_SECONDS * 1000)
    return context


# JupyterLab's window, the notebook tab on show, and an output that is an error or stderr text.
LAB_SHELL = ".jp-LabShell"
ACTIVE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
FILE_BROWSER_TAB = '.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="filebrowser"]'
# An output a learner looks at rather than reads: a figure (PNG or SVG) or a widget (a
# widget's output area has no mime type: the widget's own view is drawn into it).
# (The course's figures and drawings show as HTML: the picture in a <figure> with its
# caption, the one-line statement of what it shows.)
PICTURE_OUTPUT = (f"{ACTIVE_PANEL} .jp-OutputArea-output:is("
                  "[data-mime-type='image/png'], [data-mime-type='image/svg+xml'], "
                  "[data-mime-type='text/html']:has(figure), :not([data-mime-type]))")
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'

# Truthy once the notebook's run is over: no cell waits or runs ([*]), and either
# every code cell has an execution count or one of them failed (JupyterLab then
# stops and clears the rest). A dialog (say, Select Kernel) stops the run too:
# its text is returned, so the test fails at once and says why.
RUN_FINISHED_JS = f"""() => {{
    const dialog = document.querySelector('.jp-Dialog');
    if (dialog) return 'dialog: ' + dialog.innerText;
    const panel = document.querySelector('{ACTIVE_PANEL}');
    if (!panel) return false;
    const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
        .map(prompt => prompt.textContent.trim());
    if (prompts.some(text => text.includes('*'))) return false;
    const failed = panel.querySelector('{STDERR_OUTPUT}');
    return failed !== null || prompts.every(text => /^\\[\\d+\\]:$/.test(text));
}}"""


class LabPage:
    """One browser tab on a `LabServer`; screenshots go to `screenshot_dir`."""

    def __init__(self, page: Page, server: LabServer, screenshot_dir: Path):
        self.page = page
        self.server = server
        self.screenshot_dir = Path(screenshot_dir)
        # The browser's console, for the report of a failing test: widget errors and
        # messages the kernel's answers caused show there and nowhere on the page.
        self.console: deque[str] = deque(maxlen=CONSOLE_LINES)
        page.on("console", self._keep)

    def _keep(self, message) -> None:
        self.console.append(f"{message.type}: {message.text}")

    def detach(self) -> None:
        """Stop keeping the tab's console: the tab goes on to another test's LabPage."""
        self.page.remove_listener("console", self._keep)

    def open_notebook(self, name: str) -> None:
        """Open `name` (relative to the server's root) and wait for its kernel.

        A tab new to the server loads JupyterLab at the notebook's address, with the
        workspace reset, so notebooks an earlier tab opened are not restored (with a
        kernel each) behind this one. A tab that already shows JupyterLab goes on as a
        learner does from one notebook to the next: it closes what is open, discarding
        changes, and double-clicks `name` in the file browser. Loading JupyterLab again
        would cost Chromium about 5 CPU-seconds each time, closing and opening about 2."""
        shows_lab = self.page.url.startswith(self.server.base_url) and self.page.locator(LAB_SHELL).count()
        if shows_lab and "/" not in name:
            self.close_every_tab()
            self.show_file_browser()
            self.page.locator(".jp-DirListing-item", has=self.page.locator(
                ".jp-DirListing-itemText", has_text=re.compile(f"^{re.escape(name)}$"))).dblclick()
        else:
            self.page.goto(self.server.url(f"lab/tree/{name}?reset"))
        self.page.locator(f"{ACTIVE_PANEL} .jp-Cell").first.wait_for(timeout=KERNEL_IDLE_SECONDS * 1000)
        self.wait_for_kernel_idle()

    def close_every_tab(self) -> None:
        """File > Close All Tabs, discarding every change (JupyterLab asks once per
        notebook that changed); JupyterLab then shows its Launcher."""
        self.page.get_by_role("menuitem", name="File", exact=True).click()
        self.page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has_text=re.compile(r"^Close All Tabs")).click()
        discard = self.page.locator(".jp-Dialog .jp-Dialog-button", has_text=re.compile(r"^Discard$"))
        deadline = time.monotonic() + WAIT_SECONDS
        while self.page.locator(".jp-NotebookPanel").count():
            if time.monotonic() > deadline:
                raise AssertionError(f"File > Close All Tabs left a notebook open for {WAIT_SECONDS} s")
            if discard.count():
                discard.first.click()
            else:
                self.page.wait_for_timeout(50)

    def wait_for_kernel_idle(self, timeout: float = KERNEL_IDLE_SECONDS) -> None:
        """Wait until the notebook's kernel is connected, ready and idle.

        "idle" alone is not enough: the indicator says it a moment before the
        notebook's session is ready, and a run started then opens a Select Kernel
        dialog instead. The debugger button is enabled only once the kernel has
        answered its info request (JupyterLab's own UI tests wait for it too)."""
        panel = self.page.locator(ACTIVE_PANEL)
        expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute(
            "data-status", "idle", timeout=timeout * 1000)
        expect(panel.locator(".jp-DebuggerBugButton")).to_have_attribute(
            "aria-disabled", "false", timeout=timeout * 1000)

    def run_all_cells(self, timeout: float = RUN_ALL_SECONDS) -> None:
        """Run > Run All Cells, then wait until the run is over and the kernel idle."""
        self.page.get_by_role("menuitem", name="Run", exact=True).click()
        self.page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has_text=re.compile(r"^Run All Cells")).click()
        finished = self.page.wait_for_function(RUN_FINISHED_JS, timeout=timeout * 1000).json_value()
        if isinstance(finished, str):
            raise AssertionError(f"Run All Cells was interrupted by a {finished!r}")
        self.wait_for_kernel_idle(timeout)

    def run_notebook(self, name: str) -> None:
        """Open `name`, Run All Cells, and fail if any output is an error or stderr."""
        self.open_notebook(name)
        self.run_all_cells()
        errors = self.error_outputs()
        assert errors == [], f"{name} printed errors:\n" + "\n".join(errors)

    def show_file_browser(self) -> None:
        """Open the left sidebar's file browser, as a learner usually has it."""
        tab = self.page.locator(FILE_BROWSER_TAB)
        if "lm-mod-current" not in (tab.get_attribute("class") or ""):
            tab.click()
        expect(tab).to_have_class(re.compile(r"\blm-mod-current\b"))

    def scroll_to_top_of(self, element: Locator) -> None:
        """Scroll until `element`'s top is at the top of the notebook. Cells off screen
        are drawn only as they come into view (their height is a guess until then), so
        one scroll can land short: repeat until the element stops moving."""
        last = None
        for _ in range(SCROLL_TRIES):
            top = element.evaluate("e => { e.scrollIntoView({block: 'start'});"
                                   " return Math.round(e.getBoundingClientRect().top); }")
            if top == last:
                return
            last = top
            self.page.wait_for_timeout(SCROLL_SETTLE_MS)

    def picture_outputs(self) -> Locator:
        """Every figure and widget output of the open notebook, in order."""
        return self.page.locator(PICTURE_OUTPUT)

    def outputs(self) -> Locator:
        """Every cell output of the open notebook: what a learner sees as results."""
        return self.page.locator(f"{ACTIVE_PANEL} .jp-OutputArea-output")

    def error_outputs(self) -> list[str]:
        """The text of every error or stderr output in the open notebook."""
        return self.page.locator(f"{ACTIVE_PANEL} {STDERR_OUTPUT}").all_inner_texts()

    def click_button(self, label: str, within: Locator | None = None) -> None:
        """Click the (widget) button labelled exactly `label`. With several such
        buttons in the notebook, say which with `within` (e.g. one output)."""
        (within or self.page).get_by_role("button", name=label, exact=True).click()

    def click_together(self, *labels: str, within: Locator | None = None) -> None:
        """Click the buttons labelled `labels`, in order, in one step of the page, so that
        their messages leave for the kernel together, as from a quick learner's two clicks.
        Two `click_button`s are two round trips to the browser, each waiting until its
        button is ready, which on a busy machine can be seconds apart: the control room's
        ping, which must come within about 1.2 s of the big request with the story's slow
        client (docs/instructor-guide.md), then comes after the answer has drained, and the
        banner says COMPLETED. The clicks are the buttons' own `click()`, not the mouse's."""
        buttons = [(within or self.page).get_by_role("button", name=label, exact=True)
                   for label in labels]
        handles = [button.element_handle() for button in buttons]   # each waits for its button
        self.page.evaluate("buttons => buttons.forEach(button => button.click())", handles)

    def wait_for_text(self, text: str, timeout: float = WAIT_SECONDS) -> None:
        """Wait until `text` (case-sensitive) is visible in some cell output.
        Outputs only: the code that prints a text contains it too."""
        visible = self.outputs().get_by_text(re.compile(re.escape(text))).filter(visible=True)
        visible.first.wait_for(timeout=timeout * 1000)

    def wait_for_deadlock(self, room: Locator | None = None, timeout: float = WAIT_SECONDS) -> str:
        """Wait until a control room's banner (in `room`, or in any output) says DEADLOCK,
        or SHIM EXITED with the deadlock's time on its clock line; return the word.

        The room shows the run as it last looked, four times a second, and a deadlock lasts
        until the shim's timer fires, 2 s (sim) or 3 s (processes) later. On a busy machine
        the look that would see it can come after that: the banner then goes from RUNNING
        to SHIM EXITED, and its clock line says when the deadlock formed. (Seen once, in a
        whole suite on six workers: the last look before the exit was 3 s old.)"""
        where = room or self.outputs()
        deadlock = where.get_by_text("DEADLOCK", exact=True)
        exited = where.get_by_text("SHIM EXITED", exact=True)
        deadlock.or_(exited).first.wait_for(timeout=timeout * 1000)
        if deadlock.first.is_visible():
            return "DEADLOCK"
        where.get_by_text("deadlock formed at t =").first.wait_for(timeout=timeout * 1000)
        return "SHIM EXITED"

    def text_of(self, selector: str) -> str:
        """The visible text of the first element matching a CSS `selector`."""
        return self.page.locator(selector).first.inner_text()

    def state(self) -> str:
        """What the tab showed when a test failed, for its report: the focused control,
        the notebook's outputs, the browser's console and the server's log. CI keeps
        only what pytest prints, not the screenshots."""
        focused = self.page.evaluate("() => { const e = document.activeElement;"
                                     " return e ? e.outerHTML.slice(0, 300) : ''; }")
        outputs = "\n".join(self.outputs().all_inner_texts())[-OUTPUT_CHARS:]
        return (f"focused: {focused}\n\noutputs (the last {OUTPUT_CHARS} characters):\n"
                f"{outputs}\n\nconsole:\n" + "\n".join(self.console) +
                f"\n\nserver log:\n{self.server.log_tail()}")

    def screenshot(self, name: str) -> Path:
        """Save the whole window as `screenshot_dir/name.png` and return the path."""
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        path = self.screenshot_dir / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path
