"""The course's notebooks as nbgrader sees them, and the scores its gradebook holds: for
the grading tests (test_grading.py) and the class on a hub (test_hub.py)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from tests.paths import ASSIGNMENT, COURSE_ID, notebook_paths

SOLUTION = re.compile(r"### BEGIN SOLUTION\n.*?### END SOLUTION\n?", re.DOTALL)


def answer_cells(notebook):
    return [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]


def grade_ids(notebook):
    """grade_id -> points of every autograded test cell."""
    return {cell.metadata.nbgrader.grade_id: cell.metadata.nbgrader.points
            for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")}


def teacher_notebooks():
    return {path.stem: nbformat.read(path, as_version=4) for path in notebook_paths()}


def without_solution(notebook, grade_id):
    """`notebook` with the answer of exercise `grade_id` taken out: the starter code stays."""
    notebook = nbformat.from_dict(notebook)
    [cell] = [c for c in answer_cells(notebook) if c.metadata.nbgrader.grade_id == grade_id]
    cell.source = SOLUTION.sub("", cell.source)
    return notebook


def scores(course, student, notebooks=None, assignment=ASSIGNMENT):
    """notebook -> grade_id -> (score, max score), from nbgrader's gradebook in `course`,
    for `notebooks` (default: every notebook of the course)."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        return {name: {grade.name: (grade.score, grade.max_score)
                       for grade in gradebook.find_submission_notebook(name, assignment, student).grades}
                for name in notebooks or teacher_notebooks()}


def nbgrader(folder, *args, **environment):
    """`nbgrader ARGS` as the teacher, in `folder` (the course directory), with this
    Python's nbgrader and `environment` added to ours."""
    bin_dir = Path(sys.executable).parent      # nbgrader runs `alembic` from PATH
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=folder,
                          capture_output=True, text=True,
                          env={**os.environ, **environment,
                               "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
