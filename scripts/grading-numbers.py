#!/usr/bin/env python3
"""The course's grading numbers, computed from the notebooks' nbgrader metadata.

    scripts/grading-numbers.py guide [--write]     check (or rewrite) the guide's numbers
    scripts/grading-numbers.py assignments PLAN    the assignments of PLAN, one a line:
                                                   its name, then its notebooks' names

The instructor guide's grading numbers (how many notebooks, exercises and points, per
notebook and per assignment) sit between two marker lines that this script writes; a
sentence typed by hand goes stale the day a notebook or an exercise is added.
`guide` exits 1, showing the difference, when the guide disagrees with the notebooks;
`guide --write` rewrites the block. tests/test_guide_numbers.py runs the check.

PLAN is `one` (the whole course as one assignment, `deadlock-in-the-wild`: what `make
lab` and the tests use) or `weekly` (course/weekly.txt: the two-week unit). Plain JSON
reading, no nbgrader needed: the script runs with any Python 3.
"""
import difflib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
GUIDE = REPO / "docs" / "instructor-guide.md"
WEEKLY = REPO / "course" / "weekly.txt"
ONE = "deadlock-in-the-wild"
BEGIN = "<!-- grading numbers: written by scripts/grading-numbers.py guide --write -->"
END = "<!-- end of the grading numbers -->"


def exercises(path):
    """(grade_id, points) of every graded check cell of one notebook, in order."""
    cells = json.loads(path.read_text())["cells"]
    meta = [cell["metadata"].get("nbgrader", {}) for cell in cells]
    return [(m["grade_id"], m["points"]) for m in meta if m.get("grade")]


def label(grade_id):
    """'ex-6-1-check' -> '6.1', as the notebooks name their exercises."""
    return ".".join(grade_id.split("-")[1:3])


def notebooks():
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def plan(name):
    """[(assignment, [notebook paths])] of the plan `name`."""
    if name == "one":
        return [(ONE, notebooks())]
    if name != "weekly":
        raise SystemExit(f"ASSIGNMENTS must be 'one' or 'weekly', got {name!r}")
    assignments = []
    for line in WEEKLY.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        assignment, first, last = line.split()
        taken = [p for p in notebooks() if p.name[:2] >= first and (last == "-" or p.name[:2] <= last)]
        assignments.append((assignment, taken))
    placed = [p for _, taken in assignments for p in taken]
    if sorted(placed) != notebooks():
        raise SystemExit(f"{WEEKLY.name}: every notebook must be in exactly one assignment")
    return assignments


def count(paths):
    found = [points for path in paths for _, points in exercises(path)]
    return len(paths), len(found), sum(found)


def block():
    """The guide's grading numbers, as Markdown."""
    every = notebooks()
    n, k, points = count(every)
    lines = [BEGIN, "",
             f"The course has **{n} notebooks** with **{k} graded exercises** worth "
             f"**{points} points** in all. A complete submission scores {points} of {points}; "
             "the learner's edition as released scores 0.", "",
             "| notebook | graded exercises (points) | points |", "|---|---|---|"]
    for path in every:
        found = exercises(path)
        listed = ", ".join(f"{label(gid)} ({p})" for gid, p in found)
        lines.append(f"| {path.stem} | {listed or 'none'} | {sum(p for _, p in found)} |")
    lines += ["", "| plan (`make student ASSIGNMENTS=...`) | assignment | notebooks | exercises | points |",
              "|---|---|---|---|---|"]
    for name in ("one", "weekly"):
        for assignment, paths in plan(name):
            n, k, points = count(paths)
            span = f"{paths[0].name[:2]} to {paths[-1].name[:2]}"
            lines.append(f"| {name} | `{assignment}` | {n} ({span}) | {k} | {points} |")
    return "\n".join(lines + ["", END])


def guide(write):
    text = GUIDE.read_text()
    if BEGIN not in text or END not in text:
        print(f"{GUIDE.relative_to(REPO)}: no grading numbers block (the lines {BEGIN!r} and {END!r})")
        return 1
    before, rest = text.split(BEGIN, 1)
    old, after = rest.split(END, 1)
    old, new = BEGIN + old + END, block()
    if old == new:
        print(f"{GUIDE.relative_to(REPO)}: the grading numbers agree with the notebooks")
        return 0
    if write:
        GUIDE.write_text(before + new + after)
        print(f"{GUIDE.relative_to(REPO)}: grading numbers rewritten")
        return 0
    print(f"{GUIDE.relative_to(REPO)}: the grading numbers disagree with the notebooks; "
          "run scripts/grading-numbers.py guide --write")
    sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                               "the guide", "the notebooks"))
    return 1


def main(args):
    if args[:1] == ["guide"] and args[1:] in ([], ["--write"]):
        return guide(write=args[1:] == ["--write"])
    if args[:1] == ["assignments"] and len(args) == 2:
        for assignment, paths in plan(args[1]):
            print(assignment, *(p.name for p in paths))
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
