"""Where things are, for every test module."""
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
TEST_OUTPUT = REPO / "test-output"  # screenshots and logs; git-ignored
# The nbgrader course: course/nbgrader_config.py names it; the whole course is one assignment.
COURSE_ID = "deadlock-in-the-wild"
ASSIGNMENT = "deadlock-in-the-wild"


def notebook_paths():
    """The course's notebooks (notebooks/*.ipynb), in the course's order."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))
