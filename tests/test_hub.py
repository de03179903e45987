"""A class on a real JupyterHub (hub/jupyterhub_config.py): 8 learners, each a Unix user
this test creates and removes, each with a server started through the Hub's REST API
from the shared environment hub/setup.sh builds. In every learner's kernel at once:
notebook 04's story on threads and notebook 10's on processes, each with its verdict.
From one learner's kernel, during another's processes run: connect, request, read, each
refused. The nbgrader exchange as a teacher and the Assignments tab use it, for the 8.
After the servers stop: nothing of any learner left.

Needs root, Linux and configurable-http-proxy (`make test` installs it); skipped with
one line otherwise. Slow (deselect with -m 'not slow'): on the 2-core machine it was
written on, 139 s and 75 CPU-seconds at a load of 12, most of them the servers' and
kernels' (the exchange, the teacher's nbgrader commands and autograde included: 13). The learners fetch and submit
through their own servers, as the Assignments tab does: an `nbgrader` command of their
own would start a Python that imports all of nbgrader, about 6 CPU-seconds each."""
import json
import shutil
import stat
import tempfile
from pathlib import Path

import nbformat
import pytest

from tests import hub_class
from tests.grading import nbgrader, scores, teacher_notebooks, without_solution
from tests.hub_class import Class, leftovers, right_verdict, run_the_stories, story
from tests.paths import REPO

pytestmark = [pytest.mark.slow, pytest.mark.allow_threads, pytest.mark.timeout(1800)]

LEARNERS = 8
VICTIM_TIMER = 12.0   # the probed run stays live this long: the probe acts within it
PROBE_SECONDS = 120.0
# The released assignment: one notebook with one 2-point exercise, quick to autograde.
NOTEBOOK, EXERCISE, POINTS = "01-bounded-queues", "ex-1-1", 2.0
COURSE = "deadlock-in-the-wild"


@pytest.fixture(scope="module")
def room():
    reason = hub_class.missing_prerequisite()
    if reason:
        pytest.skip(reason)
    with Class(LEARNERS) as started:
        started.start_servers()
        started.start_kernels()
        yield started


def test_every_learner_gets_the_edition_in_their_home(room):
    for learner in room.learners:
        copy = Path(learner.account.pw_dir) / "deadlock-in-the-wild"
        assert (copy / f"{NOTEBOOK}.ipynb").is_file()
        assert copy.stat().st_uid == learner.uid


def test_every_learner_gets_the_right_verdicts_at_once(room):
    outcomes = room.at_once(run_the_stories)
    wrong = [(learner.name, runtime, verdict) for learner, stories in zip(room.learners, outcomes)
             for runtime, (verdict, _) in stories.items() if not right_verdict(verdict)]
    assert wrong == []


def in_kernel(name):
    """Code that loads tests/NAME.py as module NAME in a learner's kernel, which cannot
    read tests/ (another learner's checkout may be closed to it)."""
    path = Path(__file__).parent / f"{name}.py"
    return (f"import json, types\n{name} = types.ModuleType({name!r})\n"
            f"exec(compile({path.read_text()!r}, {path.name!r}, 'exec'), {name}.__dict__)\n")


# What a refused attempt comes to, in tests/wild_intruder.py's words: no connection, or
# a call turned away before it reached the shim's methods.
REFUSED = ("refused", "status UNAVAILABLE", "status UNAUTHENTICATED", "status PERMISSION_DENIED")
TRIED = ("read", "list", "environ", "fds", "open", "connect", "call")   # cmdline is public


def test_another_learner_cannot_reach_a_live_processes_run(room):
    """learner 0 tries learner 1's run; learner 1's run keeps its own verdict."""
    intruder, victim = room.learners[:2]
    loaded = in_kernel("hub_probe") + in_kernel("wild_intruder") + in_kernel("wild_wire")
    before, _ = intruder.kernel.result(loaded + f"print(json.dumps(hub_probe.endpoints({victim.uid})))")
    with hub_class.ThreadPoolExecutor(1) as pool:
        victims_run = pool.submit(victim.kernel.result, story("processes", VICTIM_TIMER))
        try:
            tried, _ = intruder.kernel.result(
                f"print(json.dumps(hub_probe.probe({victim.uid}, {before!r}, {PROBE_SECONDS}, "
                f"wild_intruder, wild_wire)))")
        finally:
            verdict, _ = victims_run.result()
    marker = Path(tried["marker"])
    if marker.exists():
        marker.rmdir()       # the victim's, made by the intruder's pickle
    report = json.dumps(tried, indent=1)
    assert tried["job"]["endpoints"], "the probe found none of the run's sockets"
    assert tried["run_still_live"], "the run ended before the probe was done"
    attempts = {key: seen for key, seen in tried["seen"].items() if key.split()[0] in TRIED}
    assert attempts and all(seen.startswith(REFUSED) for seen in attempts.values()), report
    assert not tried["pickle_ran"], report
    assert right_verdict(verdict), verdict


def submission(teacher, index):
    """What learner `index` hands in: the right answer (even), or the starter code (odd)."""
    return teacher if index % 2 == 0 else without_solution(teacher, EXERCISE)


@pytest.fixture
def exchange():
    """The shared exchange folder, as nbgrader's docs set it up: everyone may write."""
    top = Path(tempfile.mkdtemp(prefix="class-exchange-"))
    top.chmod(0o755)
    (top / "exchange").mkdir()
    (top / "exchange").chmod(0o777)
    yield top / "exchange"
    shutil.rmtree(top)


@pytest.fixture
def teachers_course(tmp_path):
    """An nbgrader course with one assignment, NOTEBOOK, generated from the teacher's."""
    course = tmp_path / "course"
    (course / "source" / NOTEBOOK).mkdir(parents=True)
    shutil.copy(REPO / "course" / "nbgrader_config.py", course)
    shutil.copy(REPO / "notebooks" / f"{NOTEBOOK}.ipynb", course / "source" / NOTEBOOK)
    done = nbgrader(course, "generate_assignment", NOTEBOOK, "--force")
    assert done.returncode == 0, done.stderr
    return course


def assignments_tab(room, learner, action):
    """What a click on the Assignments tab's Fetch or Submit does: a request to nbgrader's
    server extension in the learner's own server, which acts as the learner. The tab's
    list of this course's assignments after it (a failed submit: its traceback)."""
    done = room.hub.api("POST", f"/user/{learner.name}/assignments/{action}",
                        {"course_id": COURSE, "assignment_id": NOTEBOOK})
    assert done["success"], f"{learner.name}'s {action}: {done['value']}"
    return {entry["status"]: entry for entry in done["value"]
            if entry["assignment_id"] == NOTEBOOK}


def test_nbgrader_exchange_for_the_class(room, exchange, teachers_course):
    at = f"--Exchange.root={exchange}"
    done = nbgrader(teachers_course, "release_assignment", NOTEBOOK, at)
    assert done.returncode == 0, done.stderr
    teacher = teacher_notebooks()[NOTEBOOK]
    expected = {}

    def fetch_answer_submit(learner):
        index = room.learners.index(learner)
        # The exchange, as each learner's nbgrader configuration names it (hub/README.md).
        learner.write(".jupyter/nbgrader_config.py", f"c.Exchange.root = {str(exchange)!r}\n")
        folder = assignments_tab(room, learner, "fetch")["fetched"]["path"]
        fetched = Path(learner.account.pw_dir) / folder / f"{NOTEBOOK}.ipynb"
        assert stat.S_IMODE(fetched.stat().st_mode) & 0o200 and fetched.stat().st_uid == learner.uid
        learner.write(fetched, nbformat.writes(submission(teacher, index)))   # the learner's work
        assert "submitted" in assignments_tab(room, learner, "submit")
        expected[learner.name] = {f"{EXERCISE}-check": (POINTS if index % 2 == 0 else 0.0, POINTS)}

    room.at_once(fetch_answer_submit)
    for step in (["collect", NOTEBOOK, at], ["autograde", NOTEBOOK, "--force"]):
        done = nbgrader(teachers_course, *step)
        assert done.returncode == 0, done.stderr
    got = {learner.name: scores(teachers_course, learner.name, [NOTEBOOK], NOTEBOOK)[NOTEBOOK]
           for learner in room.learners}
    assert got == expected


def test_nothing_of_any_learner_is_left_after_the_servers_stop(room):
    room.stop_servers()
    left = leftovers({learner.uid for learner in room.learners})
    homes = tuple(learner.account.pw_dir for learner in room.learners)
    left["files"] = [f for f in left["files"] if not f.startswith(homes) and f not in room.owned_before]
    assert left == {"processes": {}, "sockets": [], "files": []}
