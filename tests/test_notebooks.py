"""Every notebook runs headless from top to bottom without an error, without
anything written to stderr, and without an exception in a background thread, both
the teacher's (notebooks/) and the learner's edition (nbgrader's, outside notebooks/,
where no exercise may come out solved); and every notebook is committed clean (no
outputs, kernel python3)."""
import nbformat
import pytest
from nbclient import NotebookClient

from tests.paths import ASSIGNMENT, NOTEBOOKS

CELL_TIMEOUT_SECONDS = 120

# Runs in the kernel before the notebook's own cells (never saved into it).
# threading's default hook prints a dying thread's traceback to stderr, but a
# thread can die after its cell has finished, when nobody reads stderr; the
# record is checked after the last cell.
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


def course_notebooks():
    """One pytest param per notebook, or one skipped param while there are none."""
    found = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(reason="notebooks/ has no notebooks yet"))]
    return [pytest.param(path, id=path.name) for path in found]


@pytest.fixture(scope="module", autouse=True)
def matplotlib_font_cache():
    """Build matplotlib's font cache up front: the first import after an install
    logs 'building the font cache' to stderr, which would fail the first notebook."""
    import matplotlib.font_manager  # noqa: F401


def stderr_outputs(notebook) -> list[str]:
    """Each stderr text a cell printed, prefixed with the cell's position."""
    return [
        f"cell {index}: {output['text']}"
        for index, cell in enumerate(notebook.cells)
        for output in cell.get("outputs", [])
        if output["output_type"] == "stream" and output["name"] == "stderr"
    ]


def run_clean(notebook, folder):
    """Run `notebook` in `folder` (its working directory); fail on any error or stderr."""
    notebook.cells.insert(0, nbformat.v4.new_code_cell(RECORD_THREAD_EXCEPTIONS))
    notebook.cells.append(nbformat.v4.new_code_cell(CHECK_THREAD_EXCEPTIONS))
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()  # raises CellExecutionError, with the traceback, on any error output
    assert stderr_outputs(notebook) == []


@pytest.mark.allow_threads  # the kernel client owns a kernel subprocess and its channels
@pytest.mark.parametrize("path", course_notebooks())
def test_notebook_runs_clean(path):
    run_clean(nbformat.read(path, as_version=4), NOTEBOOKS)


# After each exercise's check cell of the learner's edition: the check's report (a
# learner who runs every cell must find no exercise solved for them).
RECORD_REPORT = "_harness_reports.append(bool(report))"
CHECK_NOTHING_SOLVED = """\
assert not any(_harness_reports), f"solved in the learner's edition: {_harness_reports}"
"""


@pytest.mark.allow_threads
@pytest.mark.parametrize("path", course_notebooks())
def test_learner_edition_runs_clean_and_solves_nothing(path, learner_course):
    folder = learner_course / "release" / ASSIGNMENT
    notebook = nbformat.read(folder / path.name, as_version=4)
    cells = [nbformat.v4.new_code_cell("_harness_reports = []")]
    for cell in notebook.cells:
        cells.append(cell)
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cells.append(nbformat.v4.new_code_cell(RECORD_REPORT))
    notebook.cells = cells + [nbformat.v4.new_code_cell(CHECK_NOTHING_SOLVED)]
    run_clean(notebook, folder)


@pytest.mark.parametrize("path", course_notebooks())
def test_notebook_is_committed_clean(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} has outputs"
            assert cell.execution_count is None, f"cell {index} has an execution count"
