#!/usr/bin/env python3
"""Turn the notebooks' exercises into nbgrader cells, in place; run it again and nothing changes.

    .venv/bin/python scripts/exercises-to-nbgrader.py [NOTEBOOK ...]    (default: notebooks/*.ipynb)

An exercise written the old way is a stub cell (starter code ending in a `check_...(...)`
call) followed by a cell tagged `solution` (the answer, calling the same check). It
becomes two nbgrader cells:

- an answer cell (grade_id `ex-N-K`, K counting the notebook's exercises): the starter
  code, then the answer between `### BEGIN SOLUTION` and `### END SOLUTION`. The answer
  may redefine the starter's names, so the learner keeps the starter code and nbgrader
  replaces only the answer (by the stub in course/nbgrader_config.py);
- a locked test cell (`ex-N-K-check`) that imports the check, runs it, prints its report,
  and calls `report.tell_nbgrader()`: in class the learner reads "not yet" without an
  error, while nbgrader (Validate, autograde) fails the cell with the report as its error
  and gives no points. No hidden tests: the learner's cell is then the very cell the
  gradebook recorded, so autograde warns of a changed checksum only when someone edited it.

Cells that already carry nbgrader metadata are left as they are; so are outputs and
everything else in the notebook.
"""
import re
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SCHEMA_VERSION = 3          # nbgrader's cell metadata schema (nbgrader 0.9)
CHECK_CALL = re.compile(r"^(check_\w+)\(.*\)\s*$")
CHECK_IMPORT = re.compile(r"^from ([\w.]+) import (.*\bcheck_\w+.*)$", re.MULTILINE)


def split_check(source):
    """(code before the final check call, the call, the check's name)."""
    lines = source.rstrip().splitlines()
    match = CHECK_CALL.match(lines[-1])
    if match is None:
        raise ValueError(f"an exercise cell must end with a check_...(...) call:\n{source}")
    return "\n".join(lines[:-1]).rstrip(), lines[-1], match.group(1)


def check_modules(notebook):
    """Where each check the notebook imports comes from: name -> module."""
    modules = {}
    for cell in notebook.cells:
        for match in CHECK_IMPORT.finditer(cell.source if cell.cell_type == "code" else ""):
            modules.update((name.strip(), match.group(1)) for name in match.group(2).split(","))
    return modules


def without_check_imports(code):
    """`code` without its imports of checks (the test cells import them)."""
    kept = []
    for line in code.splitlines():
        match = CHECK_IMPORT.match(line)
        if match is None:
            kept.append(line)
            continue
        others = [name.strip() for name in match.group(2).split(",")
                  if not name.strip().startswith("check_")]
        if others:
            kept.append(f"from {match.group(1)} import {', '.join(others)}")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


def nbgrader(grade_id, **fields):
    return {"nbgrader": {"grade_id": grade_id, "schema_version": SCHEMA_VERSION,
                         "task": False, **fields}}


def answer_cell(starter, solution, grade_id):
    source = f"{starter}\n\n### BEGIN SOLUTION\n{solution}\n### END SOLUTION"
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata.update(nbgrader(grade_id, solution=True, grade=False, locked=False))
    return cell


def test_cell(call, check, module, grade_id, points):
    source = (f"from {module} import {check}\n\n"
              f"report = {call}\n"
              "print(report)\n"
              "report.tell_nbgrader()   # nbgrader's Validate fails this cell until it says right")
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata.update(nbgrader(f"{grade_id}-check", solution=False, grade=True, locked=True,
                                  points=points))
    return cell


def is_solution(cell):
    return "solution" in cell.metadata.get("tags", [])


def convert(notebook, number):
    """Rewrite `notebook`'s old-style exercises in place; how many it rewrote."""
    cells, modules, converted = [], check_modules(notebook), 0
    done = sum(1 for cell in notebook.cells
               if cell.metadata.get("nbgrader", {}).get("solution"))
    for cell in notebook.cells:
        if not is_solution(cell):
            cells.append(cell)
            continue
        stub = cells.pop()
        starter, call, check = split_check(stub.source)
        solution, solution_call, _ = split_check(cell.source)
        if solution_call != call:
            raise ValueError(f"the stub calls {call!r} but its solution calls {solution_call!r}")
        starter = without_check_imports(starter)
        grade_id = f"ex-{number}-{done + converted + 1}"
        points = 2 if "def " in starter else 1      # writing code weighs more than predicting
        answer = answer_cell(starter, solution, grade_id)
        answer.id = stub.id                          # keep the cell ids: smaller diffs
        test = test_cell(call, check, modules[check], grade_id, points)
        test.id = cell.id
        cells += [answer, test]
        converted += 1
    notebook.cells = cells
    return converted


def main(paths):
    for path in paths or sorted(NOTEBOOKS.glob("*.ipynb")):
        path = Path(path)
        notebook = nbformat.read(path, as_version=4)
        converted = convert(notebook, int(path.name.split("-")[0]))
        if converted:
            nbformat.write(notebook, path)
        print(f"{path.name}: {converted} exercise(s) converted")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
