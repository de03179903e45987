"""The instructor guide's grading numbers are the notebooks' own: computed from their
nbgrader metadata (scripts/grading-numbers.py), never typed; no sentence elsewhere in
the guide states another count of notebooks, exercises or points; and its times for the
control room's ping are what the runs give."""
import json
import re
import subprocess
import sys

from lessons import Scenario, run
from tests.paths import REPO, notebook_paths

GUIDE = REPO / "docs" / "instructor-guide.md"
WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten "
                                    "eleven twelve thirteen fourteen fifteen".split())}


def course():
    """(notebooks, graded exercises, points), read straight from the notebooks' metadata."""
    paths = notebook_paths()
    graded = [cell["metadata"]["nbgrader"] for path in paths for cell in json.loads(path.read_text())["cells"]
              if cell["metadata"].get("nbgrader", {}).get("grade")]
    return len(paths), len(graded), sum(m["points"] for m in graded), [m["grade_id"] for m in graded]


def number(word):
    return int(word) if word.isdigit() else WORDS.get(word.lower())


def test_the_guides_grading_block_is_what_the_script_computes():
    checked = subprocess.run([sys.executable, str(REPO / "scripts" / "grading-numbers.py"), "guide"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_no_sentence_of_the_guide_states_another_count():
    notebooks, exercises, points, _ = course()
    text = GUIDE.read_text()
    for word in re.findall(r"\b(\w+)\s+notebooks\b", text):
        if number(word) is not None:
            assert number(word) == notebooks, f"the guide says {word} notebooks; there are {notebooks}"
    for word in re.findall(r"\b(\w+)\s+(?:graded\s+)?exercises\b", text):
        if number(word) is not None:
            assert number(word) == exercises, f"the guide says {word} exercises; there are {exercises}"
    for said in re.findall(r"\b(\d+) (?:points )?in all\b", text):
        assert int(said) == points, f"the guide says {said} in all; the notebooks give {points}"
    for got, most in re.findall(r"\b(\d+) of (\d+)\b", text):
        assert int(most) == points, f"the guide says {got} of {most}; the notebooks give {points}"


def test_every_graded_exercise_is_mapped_to_a_learning_outcome():
    text = GUIDE.read_text()
    table = text[text.index("## Learning outcomes and the exercises"):]
    table = table[:table.index("\n## ")]
    mapped = {e for row in table.splitlines() if row.startswith("| ")
              for e in re.findall(r"\b\d+\.\d+\b", row.split("|")[2])}
    for grade_id in course()[3]:
        label = ".".join(grade_id.split("-")[1:3])
        assert label in mapped, f"exercise {label} assesses no learning outcome in the guide"


def assignments(plan):
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "grading-numbers.py"), "assignments", plan],
                         capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()]


def test_each_plan_gives_every_notebook_to_exactly_one_assignment():
    """`make student` (one assignment, what make lab and the tests use) and
    `make student ASSIGNMENTS=weekly` (course/weekly.txt), also once notebooks are added."""
    every = [path.name for path in notebook_paths()]
    [[name, *notebooks]] = assignments("one")
    assert name == "deadlock-in-the-wild" and notebooks == every
    weekly = assignments("weekly")
    assert [name for name, *_ in weekly] == ["week-1", "week-2"]
    assert [nb for _, *notebooks in weekly for nb in notebooks] == every


def test_the_guides_times_for_the_rooms_ping_are_the_runs_own():
    """The lesson plan's tip for notebook 04: how soon after the big request the ping
    must come, with the story's slow client and with `request_size` 64 (a room's clicks
    replay as requests at their times: LiveRun.replay)."""
    text = " ".join(GUIDE.read_text().split())
    default = re.search(r"a ping ([\d.]+) s after it deadlocked, one ([\d.]+) s after it was "
                        r"answered", text)
    bigger = re.search(r"`request_size` to (\d+) in the knobs tab \(([\d.]+) s deadlocked, "
                       r"([\d.]+) s did not\)", text)
    assert default and bigger, "the guide's tip for notebook 04's ping has changed"
    story = Scenario().request_size
    for size, ping, outcome in ((story, default[1], "deadlock"), (story, default[2], "completed"),
                                (int(bigger[1]), bigger[2], "deadlock"),
                                (int(bigger[1]), bigger[3], "completed")):
        scenario = Scenario(design="single", client="slow", request_size=size,
                            requests=[f"get {size} @ 0", f"ping @ {ping}"])
        assert run(scenario).outcome == outcome, (size, ping)
