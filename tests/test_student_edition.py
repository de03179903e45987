"""The student edition empties every solution, strips every output, and keeps the rest."""
import subprocess
import sys

import nbformat

from lessons.exercises.student import STUB, student_notebook, write_edition
from tests.paths import NOTEBOOKS, REPO


SOLUTION = "the teacher's own answer"


def solved_notebook():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Exercise"),
        nbformat.v4.new_code_cell("answer = ...\ncheck(answer)"),
        nbformat.v4.new_code_cell(f"answer = {SOLUTION!r}\ncheck(answer)"),
    ])
    nb.cells[2].metadata["tags"] = ["solution"]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="not yet")]
    nb.cells[1].execution_count = 3
    return nb


def test_solutions_are_emptied_and_outputs_stripped():
    student = student_notebook(solved_notebook())
    assert student.cells[0].source == "# Exercise"
    assert student.cells[1].source == "answer = ...\ncheck(answer)"        # the stub stays
    assert student.cells[1].outputs == [] and student.cells[1].execution_count is None
    assert student.cells[2].source == STUB
    assert SOLUTION not in nbformat.writes(student)   # (cell ids are random: no short marker)


def test_the_course_edition_has_no_solutions_left(tmp_path):
    written = write_edition(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    emptied = 0
    for path in written:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        for cell in notebook.cells:
            if "solution" in cell.metadata.get("tags", []):
                assert cell.source == STUB
                emptied += 1
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
    assert emptied > 0 or not written


def test_the_command_writes_the_edition(tmp_path):
    out = subprocess.run([sys.executable, "-m", "lessons.exercises.student", str(tmp_path / "student")],
                         cwd=REPO, capture_output=True, text=True, check=True)
    assert "notebooks to" in out.stdout
    assert len(list((tmp_path / "student").glob("*.ipynb"))) == len(list(NOTEBOOKS.glob("*.ipynb")))
