"""Each notebook run headless once per edition, and shared by every test that reads the run.

`executed(path)` runs the notebook at `path` (the teacher's, in notebooks/, or the
learner's, in nbgrader's release folder) top to bottom in a fresh kernel (on Unix
sockets: lessons/exercises/kernels.py), in the notebook's own folder, and keeps the
result for the rest of the session:
test_notebooks.py asks whether it ran clean, test_notebook_claims.py reads its outputs.

Between the notebook's own cells the harness runs cells of its own, which are taken out
again so that the notebook holds only its own cells and outputs:
- first, a hook that records every exception that ends a background thread (threading's
  default hook prints it to stderr, but a thread can die after its cell has finished,
  when nobody reads stderr); it is checked after the last cell;
- right after a cell, each "see it again" block the cell printed, as a learner who copies
  it would run it, at that moment (it names the learner's functions as they are then); a
  block runs in a copy of the notebook's names, so that what it defines cannot help a
  later cell of the notebook;
- right after an exercise's check cell, whether its report says solved.
Anything any of these cells writes to stderr counts, like the notebook's own.

Runs go AT_ONCE at a time. `ask_in_order` gives the order in which the tests will ask
for them (conftest.py's `notebooks_run_ahead`), and asking for one also starts the next,
so that one runs while a test reads the other. A Ctrl-C while a test waits, or the
session's end, stops them all: none still queued starts, and each running one is
interrupted and its kernel shut down.
"""
import signal
import textwrap
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

from lessons.exercises.kernels import private_sockets

CELL_TIMEOUT_SECONDS = 120

RECORD_THREAD_EXCEPTIONS = """\
import sys as _sys, threading as _threading, traceback as _traceback
_harness_thread_failures = []
def _harness_excepthook(args):
    name = args.thread.name if args.thread else "?"
    _harness_thread_failures.append(f"{name}: {args.exc_type.__name__}: {args.exc_value}")
    print(f"Exception in thread {name}:", file=_sys.stderr)
    _traceback.print_exception(args.exc_type, args.exc_value, args.exc_traceback, file=_sys.stderr)
_threading.excepthook = _harness_excepthook
"""
CHECK_THREAD_EXCEPTIONS = """\
assert not _harness_thread_failures, f"exceptions in background threads: {_harness_thread_failures}"
"""
# A "see it again" block, run in a copy of the notebook's names (a learner's own cell).
IN_A_COPY = "exec({code!r}, dict(globals()))"
REPORT_SAYS_SOLVED = "bool(report)"


@dataclass
class Execution:
    """One notebook, run. `notebook` holds its own cells with their outputs (up to the
    cell that failed, if one did); `error` is nbclient's account of the first cell that
    failed, harness cells included, or None; `stderr` lists what any cell wrote to stderr;
    `replays` is [(block, None or the last line of its error)] for each "see it again";
    `solved` says, per exercise (grade_id of its check cell), whether its report said so."""
    notebook: nbformat.NotebookNode
    error: str | None = None
    stderr: list = field(default_factory=list)
    replays: list = field(default_factory=list)
    solved: dict = field(default_factory=dict)


# Notebook runs at once. A run spends more than half its time waiting, not computing (a
# live run's timer, real processes, the kernel's messages), so two overlap on two cores:
# the notebooks' tests alone took 108 s instead of 154 s.
AT_ONCE = 2

_RUNS: dict[Path, Future] = {}
_ORDER: list[Path] = []                 # ask_in_order
_RUNNING: set[NotebookClient] = set()
_pool = ThreadPoolExecutor(AT_ONCE, thread_name_prefix="notebook-run")
_stopping = threading.Event()


def ask_in_order(paths):
    """The notebooks the tests will ask for, in the order they will ask."""
    _ORDER[:] = [Path(path) for path in paths]


def executed(path: Path) -> Execution:
    """The notebook at `path`, run once in this session (see the module's docstring)."""
    # Build matplotlib's font cache first, here: the first import after an install logs
    # 'building the font cache' to stderr, which would fail the first notebook.
    import matplotlib.font_manager  # noqa: F401
    path = Path(path)
    after = _ORDER.index(path) + 1 if path in _ORDER else len(_ORDER)
    for each in [path, *_ORDER[after:after + AT_ONCE - 1]]:
        if each not in _RUNS:
            _RUNS[each] = _pool.submit(_execute, each)
    try:
        return _RUNS[path].result()
    except KeyboardInterrupt:
        stop()
        raise


def stop():
    """No queued run starts; each running one is interrupted, and ends at once."""
    _stopping.set()
    for client in list(_RUNNING):
        # The kernel's interrupt button. Not km.interrupt_kernel(): that is a coroutine of
        # the event loop in the run's own thread. A kernel that ended meanwhile has a
        # return code, and send_signal leaves it alone.
        process = getattr(client.km.provisioner, "process", None)
        if process is not None:
            process.send_signal(signal.SIGINT)
    _pool.shutdown(wait=True, cancel_futures=True)


def _execute(path):
    notebook = nbformat.read(path, as_version=4)
    # The client makes the kernel manager from this configuration (and so ends the
    # kernel and removes its sockets afterwards, which it does not for a manager given).
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_SECONDS, kernel_name="python3",
                            config=Config({"KernelManager": private_sockets()}),
                            resources={"metadata": {"path": str(path.parent)}})
    run = Execution(notebook)
    with client.setup_kernel():
        _RUNNING.add(client)
        try:
            _harness(client, run, "before the first cell", RECORD_THREAD_EXCEPTIONS)
            for index, cell in enumerate(list(notebook.cells)):
                if _stopping.is_set():
                    run.error = "stopped: the session ended or was interrupted"
                    return run
                client.execute_cell(cell, index)
                run.stderr += [f"cell {index}: {text}" for text in stderr_texts(cell)]
                _after(client, run, index, cell)
            _harness(client, run, "after the last cell", CHECK_THREAD_EXCEPTIONS)
        except CellExecutionError as error:
            run.error = str(error)
        finally:
            _RUNNING.discard(client)
    return run


def _after(client, run, index, cell):
    """The harness's cells after notebook cell `index`: its replays, and its exercise's."""
    printed = "".join(output_text(output) for output in cell.get("outputs", []))
    for code in see_it_again_blocks(printed):
        outputs, error = _transient(client, run, IN_A_COPY.format(code=code))
        run.stderr += [f"see it again after cell {index}: {text}" for text in stderr_of(outputs)]
        run.replays.append((code, error))
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    if cell.metadata.get("nbgrader", {}).get("grade"):
        says = _harness(client, run, f"the report of {grade_id}", REPORT_SAYS_SOLVED)
        run.solved[grade_id] = "".join(output_text(o) for o in says).strip() == "True"


def _harness(client, run, where, code):
    """Run one of the harness's own cells; any error in it fails the run."""
    outputs, error = _transient(client, run, code, allow_errors=False)
    run.stderr += [f"harness ({where}): {text}" for text in stderr_of(outputs)]
    return outputs


def _transient(client, run, code, allow_errors=True):
    """Run `code` as a cell after the notebook's own, then take the cell out again:
    (its outputs, None or the last line of its error)."""
    notebook = run.notebook
    notebook.cells.append(nbformat.v4.new_code_cell(code))
    cell = notebook.cells[-1]
    try:
        client.execute_cell(cell, len(notebook.cells) - 1)
        return cell.outputs, None
    except CellExecutionError as error:
        if not allow_errors:
            raise
        return cell.outputs, str(error).strip().splitlines()[-1]
    finally:
        notebook.cells.pop()


def output_text(output):
    """What an output shows as plain text."""
    if output["output_type"] == "stream":
        return output["text"]
    return output.get("data", {}).get("text/plain", "") + "\n"


def stderr_of(outputs):
    return [output["text"] for output in outputs
            if output["output_type"] == "stream" and output["name"] == "stderr"]


def stderr_texts(cell):
    return stderr_of(cell.get("outputs", []))


def see_it_again_blocks(text):
    """The code under each "see it again:" in a check's report, dedented."""
    blocks = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        head, found, rest = line.partition("see it again:")
        if not found:
            continue
        if rest.strip():                       # the code on the same line
            blocks.append(rest.strip())
            continue
        indent = len(head) + 1
        body = []
        for following in lines[i + 1:]:
            if len(following) - len(following.lstrip()) < indent or not following.strip():
                break
            body.append(following)
        blocks.append(textwrap.dedent("\n".join(body)))
    return blocks
