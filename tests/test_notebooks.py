"""Every notebook runs headless from top to bottom without an error, without
anything written to stderr, and without an exception in a background thread, both the
teacher's (notebooks/), where every exercise comes out solved, and the learner's edition
(nbgrader's, outside notebooks/), where none may; and every notebook is committed clean
(no outputs, kernel python3).

Each edition of each notebook runs once in a session (tests/notebook_runs.py says how);
the other tests that read a run share it."""
import nbformat
import pytest

from tests.notebook_runs import executed
from tests.paths import ASSIGNMENT, notebook_paths


def course_notebooks():
    """One pytest param per notebook, or one skipped param while there are none."""
    found = notebook_paths()
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(reason="notebooks/ has no notebooks yet"))]
    return [pytest.param(path, id=path.name) for path in found]


def assert_ran_clean(run):
    """No cell failed (harness cells included: the thread hook's check is the last), and
    nothing was written to stderr."""
    assert run.error is None, run.error
    assert run.stderr == []


@pytest.mark.slow
@pytest.mark.allow_threads  # the kernel client owns a kernel subprocess and its channels
@pytest.mark.usefixtures("notebooks_run_ahead")
@pytest.mark.parametrize("path", course_notebooks())
def test_notebook_runs_clean_and_solves_every_exercise(path):
    """The teacher's answers pass every check (what autograde would give full marks:
    tests/test_grading.py autogrades two of the notebooks)."""
    run = executed(path)
    assert_ran_clean(run)
    assert run.solved and all(run.solved.values()), f"not solved in the teacher's edition: {run.solved}"


@pytest.mark.slow
@pytest.mark.allow_threads
@pytest.mark.usefixtures("notebooks_run_ahead")
@pytest.mark.parametrize("path", course_notebooks())
def test_learner_edition_runs_clean_and_solves_nothing(path, learner_course):
    run = executed(learner_course / "release" / ASSIGNMENT / path.name)
    assert_ran_clean(run)
    assert run.solved and not any(run.solved.values()), \
        f"solved in the learner's edition: {run.solved}"


@pytest.mark.parametrize("path", course_notebooks())
def test_notebook_is_committed_clean(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} has outputs"
            assert cell.execution_count is None, f"cell {index} has an execution count"
