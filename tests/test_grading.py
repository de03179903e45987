"""Grading with real nbgrader, in a temporary course directory written the way `make
student` writes course/: the learner's edition holds no solution, and `nbgrader
autograde` gives the stubs nothing, the teacher's answers full marks, and a learner who
answers all but one exercise exactly that exercise's points less.

The stubs and the teacher's answers are every notebook of each edition as it ran once in
this session (tests/notebook_runs.py, shared with test_notebooks.py): nbgrader puts the
hidden tests back into each check cell and grades the outputs, without running the
notebooks again; a stub's check cell shows what its hidden tests raised when they ran
right after it. The one-wrong submission (one notebook) nbgrader runs itself, from the
learner's edition as a learner hands it in, hidden tests taken out."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.notebook_runs import executed
from tests.paths import ASSIGNMENT, COURSE_ID, NOTEBOOKS

SOLUTION = re.compile(r"### BEGIN SOLUTION\n.*?### END SOLUTION\n?", re.DOTALL)
WRONG_NOTEBOOK, WRONG_EXERCISE = "06-fix-it", "ex-6-1"   # the single design, unchanged
AUTOGRADE_SECONDS = 900
GRADE_AS_RUN = """\
from nbgrader.converters import Autograde
from nbgrader.preprocessors import ClearOutput, Execute
steps = Autograde.class_traits()
c.Autograde.sanitize_preprocessors = [
    step for step in steps["sanitize_preprocessors"].default() if step is not ClearOutput]
c.Autograde.autograde_preprocessors = [
    step for step in steps["autograde_preprocessors"].default() if step is not Execute]
"""


def answer_cells(notebook):
    return [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]


def grade_ids(notebook):
    """grade_id -> points of every autograded test cell."""
    return {cell.metadata.nbgrader.grade_id: cell.metadata.nbgrader.points
            for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")}


def teacher_notebooks():
    return {path.stem: nbformat.read(path, as_version=4) for path in sorted(NOTEBOOKS.glob("*.ipynb"))}


def test_every_exercise_is_an_answer_cell_then_a_locked_test_cell():
    for name, notebook in teacher_notebooks().items():
        ids = [cell.metadata.nbgrader.grade_id for cell in notebook.cells if "nbgrader" in cell.metadata]
        assert ids, f"{name} has no exercise"
        assert len(ids) % 2 == 0 and ids[1::2] == [grade_id + "-check" for grade_id in ids[::2]]
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader")
            if meta and meta["grade"]:
                assert meta["locked"] and meta["points"] > 0
                assert "### BEGIN HIDDEN TESTS" in cell.source and "print(report)" in cell.source


def solution_only_lines(notebook):
    """Lines that appear in the notebook's solutions and nowhere else in it."""
    solutions = "".join(m.group() for cell in answer_cells(notebook) for m in SOLUTION.finditer(cell.source))
    elsewhere = "\n".join(SOLUTION.sub("", cell.source) for cell in notebook.cells)
    others = {line.strip() for line in elsewhere.splitlines()}
    return {line.strip() for line in solutions.splitlines()
            if line.strip() and "SOLUTION" not in line and line.strip() not in others}


@pytest.mark.slow   # nbgrader writes the learner's edition
def test_the_learner_edition_holds_no_solution(learner_course):
    edition = learner_course / "release" / ASSIGNMENT
    for name, notebook in teacher_notebooks().items():
        hidden = solution_only_lines(notebook)
        assert hidden, f"{name}: its solutions should differ from its starter code"
        text = (edition / f"{name}.ipynb").read_text()
        learner = nbformat.reads(text, as_version=4)
        sources = "\n".join(cell.source for cell in learner.cells)
        assert hidden.isdisjoint(line.strip() for line in sources.splitlines())
        assert "SOLUTION" not in sources and "HIDDEN TESTS" not in sources
        assert "assert report" not in sources
        assert grade_ids(learner) == grade_ids(notebook)        # the same exercises, the same points


def answered_but(learner, teacher, grade_id):
    """The learner's edition `learner` as a learner hands it in with the teacher's answers
    to every exercise but `grade_id`, whose starter code stays."""
    notebook = nbformat.from_dict(learner)
    answers = {c.metadata.nbgrader.grade_id: c.source for c in answer_cells(teacher)}
    for cell in answer_cells(notebook):
        if cell.metadata.nbgrader.grade_id != grade_id:
            cell.source = answers[cell.metadata.nbgrader.grade_id]
    return notebook


def as_graded(run):
    """A notebook as it ran (tests/notebook_runs.py), each check cell's outputs followed by
    those of its hidden tests, as the check cell nbgrader puts them back into would show."""
    assert run.error is None, run.error
    notebook = nbformat.from_dict(run.notebook)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in run.hidden_outputs:
            cell.outputs = cell.outputs + run.hidden_outputs[grade_id]
    return notebook


def submit(course, student, notebooks):
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")


def autograde(course, *options):
    bin_dir = Path(sys.executable).parent      # nbgrader runs `alembic` from PATH
    out = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force",
                          *options], cwd=course, capture_output=True, text=True,
                         timeout=AUTOGRADE_SECONDS,
                         env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    assert out.returncode == 0, out.stderr


def without_running(course):
    """An nbgrader config file for autograde that grades a submission's outputs as they
    are: its usual steps but two, the one that clears the outputs and the one that runs."""
    config = course / "grade_as_run.py"
    config.write_text(GRADE_AS_RUN)
    return f"--JupyterApp.config_file={config.with_suffix('')}"    # nbgrader adds the .py


def scores(course, student):
    """notebook -> grade_id -> (score, max score), from nbgrader's gradebook."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        return {name: {grade.name: (grade.score, grade.max_score)
                       for grade in gradebook.find_submission_notebook(name, ASSIGNMENT, student).grades}
                for name in teacher_notebooks()}


def autograded_sources(course, student):
    """name -> the sources of the notebook as nbgrader graded it (autograded/)."""
    folder = course / "autograded" / student / ASSIGNMENT
    return {name: "\n".join(cell.source for cell in nbformat.read(folder / f"{name}.ipynb", as_version=4).cells)
            for name in teacher_notebooks()}


@pytest.fixture(scope="module")
def autograded(learner_course):
    """Three submissions, autograded by nbgrader: the stubs (the learner's edition as
    released, as it ran), the teacher's notebooks (as they ran), and the teacher's answers
    but one (notebook 06 only: a notebook not submitted scores zero, and is not run)."""
    edition = learner_course / "release" / ASSIGNMENT
    teacher = teacher_notebooks()
    submit(learner_course, "stubs", {name: as_graded(executed(edition / f"{name}.ipynb"))
                                     for name in teacher})
    submit(learner_course, "teacher", {name: as_graded(executed(NOTEBOOKS / f"{name}.ipynb"))
                                       for name in teacher})
    autograde(learner_course, without_running(learner_course))
    stubs_sources = autograded_sources(learner_course, "stubs")
    learner = nbformat.read(edition / f"{WRONG_NOTEBOOK}.ipynb", as_version=4)
    submit(learner_course, "one-wrong",
           {WRONG_NOTEBOOK: answered_but(learner, teacher[WRONG_NOTEBOOK], WRONG_EXERCISE)})
    autograde(learner_course, "--student=one-wrong")
    return {"sources": stubs_sources,
            **{student: scores(learner_course, student) for student in ("stubs", "teacher", "one-wrong")}}


def autograde_test(test):
    """Slow. Its time goes to the fixture, which runs every notebook of both editions
    unless test_notebooks.py ran them first: the test's timeout leaves the fixture out
    (each cell's run and nbgrader's have bounds of their own)."""
    return pytest.mark.slow(pytest.mark.timeout(300, func_only=True)(test))


@autograde_test
def test_nbgrader_puts_the_hidden_tests_back_before_it_grades(autograded):
    for name, source in autograded["sources"].items():
        assert source.count("### BEGIN HIDDEN TESTS") == len(grade_ids(teacher_notebooks()[name])), name


@autograde_test
def test_the_stubs_score_nothing(autograded):
    for name, grades in autograded["stubs"].items():
        assert grades and all(score == 0 for score, _ in grades.values()), (name, grades)


@autograde_test
def test_the_teachers_answers_score_full_marks(autograded):
    for name, grades in autograded["teacher"].items():
        assert grades and all(score == most for score, most in grades.values()), (name, grades)


@autograde_test
def test_one_wrong_answer_loses_exactly_its_points(autograded):
    grades = autograded["one-wrong"][WRONG_NOTEBOOK]
    wrong = f"{WRONG_EXERCISE}-check"
    assert grades[wrong][0] == 0 < grades[wrong][1]
    assert all(score == most for grade, (score, most) in grades.items() if grade != wrong), grades
