"""Grading with real nbgrader, in a temporary course directory written the way `make
student` writes course/: the learner's edition holds no solution, and `nbgrader
autograde` gives the stubs nothing, the teacher's answers full marks, and one wrong
answer exactly that exercise's points less.

Autograde runs each submitted notebook in a kernel, so the submissions hold not the whole
course but the teacher's answers to the two notebooks that try nbgrader's executor hardest
(GRADED), and the other submissions the quickest notebook (QUICK_NOTEBOOK): that every
other exercise's check passes with the teacher's answer and fails with the stub is
proved where each notebook already runs once per edition (tests/test_notebooks.py: the
teacher's edition solves every exercise, the learner's none), and a check's report
fails its cell under nbgrader exactly when it is not right (tests/test_checks.py)."""
import json
import re
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from tests.grading import SOLUTION, answer_cells, grade_ids, nbgrader, scores, teacher_notebooks, without_solution
from tests.paths import ASSIGNMENT, REPO

# Autograde runs every submitted notebook (five here): minutes on a busy 2-core machine,
# more than pytest's default allowance per test.
pytestmark = [pytest.mark.timeout(1500), pytest.mark.slow]

# Notebook 06 holds the course's longest cell (the sweep) and notebook 10 a live room on
# real processes, whose late output once outlasted nbgrader's wait for it (course/
# nbgrader_config.py's iopub_timeout): what a timeout of nbgrader's would fail first.
GRADED = ("06-fix-it", "10-in-the-wild")
# The stubs, the wrong answer and the tampered check are scored in the course's quickest
# notebook to run (about 2 CPU-seconds against 06's 10): the scoring is the same in every
# notebook, and the teacher's 06 and 10 already show that an untouched check raises no
# warning.
QUICK_NOTEBOOK, WRONG_EXERCISE, RIGHT_EXERCISE = "00-the-incident", "ex-0-1", "ex-0-2"


def test_every_exercise_is_an_answer_cell_then_a_locked_test_cell():
    for name, notebook in teacher_notebooks().items():
        ids = [cell.metadata.nbgrader.grade_id for cell in notebook.cells if "nbgrader" in cell.metadata]
        assert ids, f"{name} has no exercise"
        assert len(ids) % 2 == 0 and ids[1::2] == [grade_id + "-check" for grade_id in ids[::2]]
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader")
            if meta and meta["grade"]:
                assert meta["locked"] and meta["points"] > 0
                # No hidden tests: the learner's check cell is the one the gradebook records.
                assert "HIDDEN TESTS" not in cell.source and "print(report)" in cell.source
                assert cell.source.rstrip().splitlines()[-1].startswith("report.tell_nbgrader()")


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
        assert grade_ids(learner) == grade_ids(notebook)        # the same exercises, the same points


def tampered(notebook, grade_id):
    """`notebook` with its answer to `grade_id` taken out and that exercise's locked check
    edited so that it can never fail: what a learner who edits a check would hand in."""
    notebook = without_solution(notebook, grade_id)
    [cell] = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"{grade_id}-check"]
    cell.source = cell.source.replace("report.tell_nbgrader()", "pass")
    return notebook


def submit(course, student, notebooks):
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")


@pytest.fixture(scope="module")
def autograded(learner_course):
    """Four submissions, autograded by nbgrader: the teacher's notebooks GRADED; and in
    notebook 00 alone, the stubs (the learner's edition as released), the teacher's
    answers but one, and a tampered check (a notebook not submitted scores zero, and is
    not run)."""
    edition = learner_course / "release" / ASSIGNMENT
    teacher = teacher_notebooks()
    submit(learner_course, "stubs",
           {QUICK_NOTEBOOK: nbformat.read(edition / f"{QUICK_NOTEBOOK}.ipynb", as_version=4)})
    submit(learner_course, "teacher", {name: teacher[name] for name in GRADED})
    submit(learner_course, "one-wrong",
           {QUICK_NOTEBOOK: without_solution(teacher[QUICK_NOTEBOOK], WRONG_EXERCISE)})
    submit(learner_course, "tampered", {QUICK_NOTEBOOK: tampered(teacher[QUICK_NOTEBOOK], WRONG_EXERCISE)})
    out = nbgrader(learner_course, "autograde", ASSIGNMENT, "--force")
    assert out.returncode == 0, out.stderr
    grades = {student: scores(learner_course, student) for student in STUDENTS}
    return grades, out.stderr


STUDENTS = ("stubs", "teacher", "one-wrong", "tampered")
CHANGED = re.compile(r"\[AutogradeApp \| WARNING\] Attribute '(\w+)' for cell ([\w-]+) has changed")


def warnings_by_student(log):
    """student -> [(attribute, cell)] of nbgrader's 'has changed!' warnings in autograde's log."""
    found, student = {}, None
    for line in log.splitlines():
        started = re.search(r"Creating/updating student with ID '([^']+)'", line)
        student = started.group(1) if started else student
        changed = CHANGED.search(line)
        if changed:
            found.setdefault(student, []).append(changed.groups())
    return found


def test_only_the_tampered_check_is_reported_as_changed(autograded):
    """The learner's edition's check cells are the cells the gradebook recorded, so an
    untouched notebook raises no checksum warning and an edited check raises one."""
    _, log = autograded
    assert warnings_by_student(log) == {"tampered": [("checksum", f"{WRONG_EXERCISE}-check")]}, log


def test_autograde_logs_no_sqlalchemy_warning(autograded):
    assert "SAWarning" not in autograded[1] and "SADeprecationWarning" not in autograded[1]


def test_a_tampered_check_is_put_back_and_scores_nothing(autograded):
    grades = autograded[0]["tampered"][QUICK_NOTEBOOK]
    assert grades[f"{WRONG_EXERCISE}-check"][0] == 0


def test_the_stubs_score_nothing(autograded):
    grades = autograded[0]["stubs"][QUICK_NOTEBOOK]
    assert grades and all(score == 0 for score, _ in grades.values()), grades


def test_the_teachers_answers_score_full_marks(autograded):
    for name in GRADED:
        grades = autograded[0]["teacher"][name]
        assert grades and all(score == most for score, most in grades.values()), (name, grades)


def test_a_notebook_not_submitted_scores_nothing(autograded):
    for name, grades in autograded[0]["teacher"].items():
        if name not in GRADED:
            assert grades and all(score == 0 for score, _ in grades.values()), (name, grades)


def test_one_wrong_answer_loses_exactly_its_points(autograded):
    grades = autograded[0]["one-wrong"][QUICK_NOTEBOOK]
    wrong = f"{WRONG_EXERCISE}-check"
    assert grades[wrong][0] == 0 < grades[wrong][1]
    assert all(score == most for grade, (score, most) in grades.items() if grade != wrong), grades


def validate(notebook_path):
    """What the Validate button says of a notebook: nbgrader's validator with the
    configuration `make lab` gives the button (scripts/learner-lab on JUPYTER_CONFIG_PATH,
    the repository as the working folder)."""
    out = nbgrader(REPO, "validate", str(notebook_path),
                   JUPYTER_CONFIG_PATH=str(REPO / "scripts" / "learner-lab"))
    return out.stdout


def test_validate_fails_an_untouched_or_wrong_answer_with_the_checks_sentence_and_passes_a_right_one(
        learner_course, tmp_path):
    released = nbformat.read(learner_course / "release" / ASSIGNMENT / "00-the-incident.ipynb", as_version=4)
    wrong = nbformat.from_dict(released)
    first, second = answer_cells(wrong)              # 0.1 wrong, 0.2 right
    first.source = first.source.replace('my_prediction = "..."', 'my_prediction = "completed"')
    second.source = second.source.replace('my_prediction = "..."', 'my_prediction = "stall"')
    assert 'my_prediction = "completed"' in first.source and '"stall"' in second.source
    right = teacher_notebooks()["00-the-incident"]
    for name, notebook in (("untouched", released), ("wrong", wrong), ("right", right)):
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
    # Three validations at once: each is a process of its own that only reads its notebook.
    with ThreadPoolExecutor(3) as validations:
        untouched, wrong_said, right_said = validations.map(
            validate, (tmp_path / f"{name}.ipynb" for name in ("untouched", "wrong", "right")))
    assert "VALIDATION FAILED ON 2 CELL(S)" in untouched
    assert "say 'completed', 'deadlock' or 'stall'" in untouched       # the check's own sentence
    assert "VALIDATION FAILED ON 1 CELL(S)" in wrong_said
    assert "check_outcome(my_prediction, client=\"fast\")" in wrong_said
    assert "not yet" in wrong_said and "say 'completed'" not in wrong_said
    assert "Success!" in right_said and "FAILED" not in right_said


# Run in the kernel Validate starts; writes what it found to the file named by {found}.
# The kernel's sockets must be Unix sockets in a folder only its user can open
# (lessons/exercises/kernels.py). (ipykernel also binds a TCP port of its own, with no
# race: a pipe for output from forked children, which needs a secret it holds.)
KERNEL_SOCKETS = """\
import json, os, stat, ipykernel
info = json.load(open(ipykernel.get_connection_file()))
folder = os.path.dirname(info["ip"]) if info["transport"] == "ipc" else None
json.dump({{
    "transport": info["transport"],
    "folder_mine_alone": folder is not None and os.stat(folder).st_uid == os.getuid()
                         and stat.S_IMODE(os.stat(folder).st_mode) & 0o077 == 0,
    "sockets": sum(stat.S_ISSOCK(os.stat(f"{{info['ip']}}-{{info[key]}}").st_mode)
                   for key in info if key.endswith("_port")) if folder else 0,
}}, open({found!r}, "w"))
"""


def test_validate_s_kernel_listens_on_unix_sockets_only_its_user_can_open(tmp_path):
    found = tmp_path / "found.json"
    code = KERNEL_SOCKETS.format(found=str(found))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "sockets.ipynb")
    validate(tmp_path / "sockets.ipynb")
    assert json.loads(found.read_text()) == {
        "transport": "ipc", "folder_mine_alone": True, "sockets": 5}


def test_the_export_has_one_column_per_exercise_with_its_score(autograded, learner_course):
    """`nbgrader export` (course/nbgrader_config.py's plugin): per-exercise scores beside
    nbgrader's total, exactly as the gradebook holds them."""
    import csv
    out = nbgrader(learner_course, "export")
    assert out.returncode == 0, out.stderr
    with open(learner_course / "grades.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    notebooks = teacher_notebooks()
    points = {grade_id: most for notebook in notebooks.values()
              for grade_id, most in grade_ids(notebook).items()}
    submitted = {grade_id: most for name in GRADED for grade_id, most in grade_ids(notebooks[name]).items()}
    column = {grade_id: "exercise " + ".".join(grade_id.split("-")[1:3]) for grade_id in points}
    for grade_id in points:
        assert float(rows["teacher"][column[grade_id]]) == submitted.get(grade_id, 0)
        assert float(rows["stubs"][column[grade_id]]) == 0
    wrong = rows["one-wrong"]
    assert float(wrong[column[f"{WRONG_EXERCISE}-check"]]) == 0
    assert float(wrong[column[f"{RIGHT_EXERCISE}-check"]]) == points[f"{RIGHT_EXERCISE}-check"]
    assert float(wrong["score"]) == points[f"{RIGHT_EXERCISE}-check"]
    assert float(rows["teacher"]["score"]) == sum(submitted.values())
