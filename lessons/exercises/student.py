"""The student edition: every course notebook with its solutions emptied and outputs stripped.

    python -m lessons.exercises.student OUTDIR        (or: make student, into student-edition/)

A cell tagged `solution` keeps its tag but its code is replaced by a "your turn" stub,
so the exercise's own stub cell and its check still run (and say "not yet"). Every
code cell loses its outputs and execution count. Markdown, including the "predict
first" answers hidden in <details>, is kept: those are for self-checking.
"""
import argparse
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
STUB = "# your turn: write your solution here, then run the check above again\n"


def student_notebook(notebook):
    """A copy of `notebook` with solutions emptied and outputs stripped."""
    notebook = nbformat.from_dict(notebook)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if "solution" in cell.metadata.get("tags", []):
            cell.source = STUB
        cell.outputs = []
        cell.execution_count = None
    return notebook


def write_edition(out_dir, source_dir=NOTEBOOKS):
    """Write the student edition of every notebook in `source_dir` into `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(Path(source_dir).glob("*.ipynb")):
        notebook = student_notebook(nbformat.read(path, as_version=4))
        nbformat.write(notebook, out_dir / path.name)
        written.append(out_dir / path.name)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lessons.exercises.student",
                                     description="Write the student edition of the course.")
    parser.add_argument("out_dir", help="folder for the student notebooks (created if missing)")
    args = parser.parse_args(argv)
    written = write_edition(args.out_dir)
    print(f"wrote {len(written)} notebooks to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
