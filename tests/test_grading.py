"""Grading with real nbgrader, in a temporary course directory written the way `make
student` writes course/: the learner's edition holds no solution, and `nbgrader
autograde` gives the stubs nothing, the teacher's answers full marks, and one wrong
answer exactly that exercise's points less.

Autograde runs every submitted notebook in a kernel: the three submissions below (10,
10 and 1 notebooks) took about 85 s on a busy 2-core machine."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.paths import ASSIGNMENT, COURSE_ID, NOTEBOOKS

# The autograde fixture runs every notebook twice (stubs and teacher) inside the first
# test that asks for it: with twelve notebooks on a loaded 2-core machine (load average
# 15-26) it took longer than the suite's 300 s per test (notebook 11 alone: 36 s).
pytestmark = pytest.mark.timeout(900)

SOLUTION = re.compile(r"### BEGIN SOLUTION\n.*?### END SOLUTION\n?", re.DOTALL)
WRONG_NOTEBOOK, WRONG_EXERCISE = "06-fix-it", "ex-6-1"   # the single design, unchanged


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


def without_solution(notebook, grade_id):
    """`notebook` with the answer of exercise `grade_id` taken out: the starter code stays."""
    notebook = nbformat.from_dict(notebook)
    [cell] = [c for c in answer_cells(notebook) if c.metadata.nbgrader.grade_id == grade_id]
    cell.source = SOLUTION.sub("", cell.source)
    return notebook


def submit(course, student, notebooks):
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")


def scores(course, student):
    """notebook -> grade_id -> (score, max score), from nbgrader's gradebook."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        return {name: {grade.name: (grade.score, grade.max_score)
                       for grade in gradebook.find_submission_notebook(name, ASSIGNMENT, student).grades}
                for name in teacher_notebooks()}


@pytest.fixture(scope="module")
def autograded(learner_course):
    """Three submissions, autograded by nbgrader: the stubs (the learner's edition as
    released), the teacher's notebooks, and the teacher's answers but one (notebook 06
    only: a notebook not submitted scores zero, and is not run)."""
    edition = learner_course / "release" / ASSIGNMENT
    teacher = teacher_notebooks()
    submit(learner_course, "stubs", {name: nbformat.read(edition / f"{name}.ipynb", as_version=4)
                                     for name in teacher})
    submit(learner_course, "teacher", teacher)
    submit(learner_course, "one-wrong",
           {WRONG_NOTEBOOK: without_solution(teacher[WRONG_NOTEBOOK], WRONG_EXERCISE)})
    bin_dir = Path(sys.executable).parent      # nbgrader runs `alembic` from PATH
    out = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"],
                         cwd=learner_course, capture_output=True, text=True,
                         env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    assert out.returncode == 0, out.stderr
    return {student: scores(learner_course, student) for student in ("stubs", "teacher", "one-wrong")}


def test_the_stubs_score_nothing(autograded):
    for name, grades in autograded["stubs"].items():
        assert grades and all(score == 0 for score, _ in grades.values()), (name, grades)


def test_the_teachers_answers_score_full_marks(autograded):
    for name, grades in autograded["teacher"].items():
        assert grades and all(score == most for score, most in grades.values()), (name, grades)


def test_one_wrong_answer_loses_exactly_its_points(autograded):
    grades = autograded["one-wrong"][WRONG_NOTEBOOK]
    wrong = f"{WRONG_EXERCISE}-check"
    assert grades[wrong][0] == 0 < grades[wrong][1]
    assert all(score == most for grade, (score, most) in grades.items() if grade != wrong), grades
