"""What the notebooks' prose says about their outputs is true of those outputs.

Each notebook runs headless once per edition, a run shared with test_notebooks.py and
test_grading.py (tests/notebook_runs.py). A test then reads a cell's printed text, or the
words inside a drawn wait-for graph, and checks the facts that the prose beside it states:
depths, who is blocked, the banner word, the outcome, when a deadlock formed. Cells are
named by id, so each test points at the sentence it holds true; a test that fails says
which sentence and which output disagree.
"""
import html
import re
from pathlib import Path

import nbformat
import pytest

from lessons.views.waitgraph import CYCLE
from tests.notebook_runs import executed, output_text
from tests.paths import ASSIGNMENT, NOTEBOOKS, REPO, notebook_paths

pytestmark = [pytest.mark.allow_threads,   # a kernel subprocess and its channels
              pytest.mark.usefixtures("notebooks_run_ahead"),
              pytest.mark.slow]

LONGEST_PRINTED_SCHEDULE = 12            # moves; longer ones are counted, not printed


class Ran:
    """One notebook after a headless run: cells by id, their text, and what each "see it
    again" block of a check's report did when it was run as printed."""

    def __init__(self, notebook, replays):
        self.notebook = notebook
        self.cells = {cell.get("id"): cell for cell in notebook.cells}
        self.replays = replays            # [(code, error text or None)]

    def prose(self, cell_id):
        cell = self.cells[cell_id]
        assert cell.cell_type == "markdown", cell_id
        return cell.source

    def markdown(self):
        return [cell.source for cell in self.notebook.cells if cell.cell_type == "markdown"]

    def text(self, cell_id):
        """Everything the cell printed or returned as plain text."""
        return "".join(output_text(output) for output in self.cells[cell_id].outputs)

    def all_text(self):
        return "\n".join(self.text(cell_id) for cell_id, cell in self.cells.items()
                         if cell.cell_type == "code")

    def graph_words(self, cell_id):
        """The words of the first drawing (SVG) the cell shows, in drawing order."""
        for output in self.cells[cell_id].outputs:
            svg = output.get("data", {}).get("image/svg+xml")
            if svg:
                return [html.unescape(word) for word in re.findall(r">([^<]+)</text>", svg)]
        raise AssertionError(f"cell {cell_id} shows no drawing")

    def graph_svg(self, cell_id):
        return next(output["data"]["image/svg+xml"] for output in self.cells[cell_id].outputs
                    if "image/svg+xml" in output.get("data", {}))

    def has_loop_colour(self, cell_id):
        """Is anything in the cell's drawing in the colour of a deadlock's loop?"""
        return CYCLE.lower() in self.graph_svg(cell_id).lower()


def ran(name):
    """The teacher's notebook `name` (notebooks/), run."""
    return ran_at(NOTEBOOKS / name)


def ran_at(path: Path):
    """The notebook at `path`, run top to bottom; right after each cell, every "see it
    again" block it printed was run in the same kernel at that moment, as a learner who
    copies it would (tests/notebook_runs.py). A run that failed fails the test that reads it."""
    run = executed(path)
    assert run.error is None, run.error
    return Ran(run.notebook, run.replays)


NOTEBOOK_NAMES = [path.name for path in notebook_paths()]


def formed_at(summary):
    """The deadlock's formation time a summary prints ("formed at t=0.300 s")."""
    return float(re.search(r"formed at t=([\d.]+) s", summary).group(1))


def title_of(words):
    """A drawn graph's title (one line, or two: its first two texts hold it either way)."""
    return " ".join(words[:2])


def state_of(words, actor):
    """In a drawn wait-for graph, the state written under `actor`'s name."""
    return words[words.index(actor) + 1]


# -- every notebook -------------------------------------------------------------------

@pytest.mark.parametrize("edition", ["teacher", "learner"])
@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_every_see_it_again_runs_as_printed(name, edition, request):
    # The learner's edition (nbgrader's) is where the stubs print "not yet" and a block.
    folder = (NOTEBOOKS if edition == "teacher"
              else request.getfixturevalue("learner_course") / "release" / ASSIGNMENT)
    failed = [f"{code}\n  -> {error}" for code, error in ran_at(folder / name).replays if error]
    assert not failed, "\n\n".join(failed)


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_no_odd_counts_and_no_long_schedules_printed(name):
    text = ran(name).all_text()
    assert not re.search(r"\b1 schedules\b", text)
    assert not re.search(r"\b0 of 0\b", text), "say that no data was asked for"
    for moves in re.findall(r"schedule \((\d+) (?:words|moves)\):", text):
        assert int(moves) <= LONGEST_PRINTED_SCHEDULE, \
            f"a {moves}-move schedule printed in full: count it instead"


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_no_leftovers_from_the_issue_tracker_and_answers_wait_for_a_click(name):
    for source in ran(name).markdown():
        assert not re.search(r"\*\*The issue\*\*|\bThe issue says\b", source), source
        if re.match(r"\(?Answer to|Why is it safe\?", source.lstrip()):
            pytest.fail(f"an answer in plain text, not behind a <details> reveal:\n{source}")


# Colour names no palette colour answers to (lessons/views/palette.py draws Okabe and
# Ito's: black, orange, sky blue, bluish green, yellow, blue, vermilion, reddish purple,
# and greys). A sentence that names one sends the reader looking for a colour that is not
# there (issue 21: "red" where the drawing is vermilion or orange, "red rims" drawn black).
NOT_DRAWN = re.compile(r"\b(red|pink|brown|cyan|magenta|violet|crimson|scarlet|teal|navy|"
                       r"gold|maroon|lime|turquoise)\b", re.IGNORECASE)
PROSE_FILES = ["lessons/**/*.py", "dining/*.py", "docs/*.md", "README.md"]


def test_colour_words_name_colours_the_palette_draws():
    found = []
    for path in notebook_paths():
        for cell in nbformat.read(path, as_version=4).cells:
            found += [f"{path.name} {cell.get('id')}: {m.group(0)!r}"
                      for m in NOT_DRAWN.finditer(cell.source)]
    for pattern in PROSE_FILES:
        for path in sorted(REPO.glob(pattern)):
            found += [f"{path.relative_to(REPO)}: {m.group(0)!r}"
                      for m in NOT_DRAWN.finditer(path.read_text())]
    assert found == [], "colours the palette does not draw:\n" + "\n".join(found)


# A paragraph that opens with "Predict first", or "guess: will/how/which/what ...?".
PREDICTION_ASKED = re.compile(r"^\*\*Predict first|\bguess: (will|how|which|what)\b",
                              re.IGNORECASE | re.MULTILINE)


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_what_a_run_shows_waits_behind_a_click_after_a_prediction_is_asked(name):
    """Issue 21: "guess: will all 32 items reach the client?" had the answer on screen just
    below, before the cell ran. Where a cell asks for a prediction, the prose that reacts to
    the run under it opens only on a click."""
    cells = nbformat.read(NOTEBOOKS / name, as_version=4).cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown" or not PREDICTION_ASKED.search(cell.source):
            continue
        rest = cells[i + 1:]
        run = next(k for k, c in enumerate(rest) if c.cell_type == "code")
        reaction = next((c for c in rest[run:] if c.cell_type == "markdown"), None)
        if reaction is not None:
            assert reaction.source.lstrip().startswith("<details>"), \
                f"{cell.get('id')} asks for a prediction; {reaction.get('id')} answers it in plain sight"


def test_each_notebook_states_the_time_the_guide_gives_it_and_the_core_path_is_2_hours():
    guide = (REPO / "docs" / "instructor-guide.md").read_text()
    table = dict(re.findall(r"^\| (\d\d) [^|]+\| (\d+) \|", guide, re.MULTILINE))
    for path in notebook_paths():
        top = nbformat.read(path, as_version=4).cells[0].source
        stated = re.search(r"\*\*Time:\*\* about (\d+) minutes", top).group(1)
        assert stated == table[path.name[:2]], path.name
    core = guide[guide.index("the core path"):]
    spans = re.findall(r"^\| (\d+)-(\d+) \|", core, re.MULTILINE)
    assert spans[0][0] == "0" and spans[-1][1] == "120"
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))      # no gap, no overlap


# -- 00 the incident -------------------------------------------------------------------

def test_00_the_story_run_is_as_told():
    nb = ran("00-the-incident.ipynb")
    summary, prose = nb.text("8faa8c5c"), nb.prose("0b47901a")
    assert summary.startswith("outcome: DEADLOCK") and formed_at(summary) == 0
    assert "shim exited at t=3600.000 s" in summary
    delivered, expected = map(int, re.search(r"items: (\d+) of (\d+)", summary).groups())
    assert f"Only {delivered} of the {expected} items" in prose
    picture = nb.text("0002c87b")
    assert re.search(r"notifications +\[#+\] 4/4  full", picture)
    assert re.search(r"engine +blocked: send notifications", picture)
    assert re.search(r"shim\.main +exited", picture)
    assert nb.text("8ce27cb8").startswith("outcome: COMPLETED")


# -- 03 the shim and the client ---------------------------------------------------------

def test_03_the_happy_day_and_the_unhappy_seeds():
    nb = ran("03-the-shim-and-the-client.ipynb")
    summary = nb.text("5fa062f3")
    assert "outcome: COMPLETED" in summary and "items: 32 of 32" in summary
    assert "2 sent, 2 answered" in summary
    depth = {float(t): int(d) for t, d in re.findall(r"t=([\d.]+) +#* +(\d+)", nb.text("24affd53"))}
    assert depth[0] == 4                      # "fills to its capacity (4) almost at once"
    assert depth[2] == 0                      # "at t=2 ... notifications is empty"
    outcomes = re.findall(r"seed \d: (\w+)", nb.text("850c17f5"))
    assert outcomes and set(outcomes) == {"deadlock"}            # "different timing: deadlock"


# -- 04 trigger it ----------------------------------------------------------------------

def test_04_the_run_on_paper_and_its_stacks():
    nb = ran("04-trigger-it.ipynb")
    summary = nb.text("3839f88a")
    assert summary.startswith("outcome: DEADLOCK")
    cycle = re.search(r"cycle: (.*)", summary).group(1)
    assert "shim.main -(recv replies)-> engine" in cycle            # "waits on replies"
    assert "engine -(send notifications)-> shim.main" in cycle      # "waits on notifications"
    stacks = nb.text("91e85b0b")
    assert "shim.main [exiting: its timer fired]" in stacks
    assert "engine [blocked: send notifications]" in stacks


def test_04_the_prose_tells_the_clock_from_the_moment_the_deadlock_formed():
    prose = ran("04-trigger-it.ipynb").prose("25175df0")
    assert "time *now*" in prose and "formed at t=" in prose


def test_04_the_banner_words_of_the_predictions_are_the_rooms():
    from lessons import Scenario
    from lessons.views import ControlRoom
    prose = ran("04-trigger-it.ipynb")
    late = ControlRoom(Scenario(design="single", client="slow"))
    stalled = ControlRoom(Scenario(design="split", client="stalled"))
    try:
        late.buttons["Send big request"].click()
        assert late.wait_for("COMPLETED") == "COMPLETED"        # before any ping
        late.buttons["Send ping"].click()
        assert late.wait_for("COMPLETED") == "COMPLETED"        # and the ping changes nothing
        stalled.buttons["Send big request"].click()
        stalled.buttons["Send ping"].click()
        assert stalled.wait_for("SHIM EXITED") == "SHIM EXITED"
        words = [w for w in stalled.seen if w != "RUNNING"]
    finally:
        late.close(), stalled.close()
    assert "before you click the ping at all" in prose.prose("d476ed92")
    assert words == ["READY", "STALL", "SHIM EXITED"]
    assert "**STALL** first" in prose.prose("25175df0")
    assert "**SHIM EXITED**" in prose.prose("25175df0")


# -- 05 diagnose ------------------------------------------------------------------------

def test_05_the_three_suspects_log_the_same_line_but_for_the_goroutine():
    nb = ran("05-diagnose.ipynb")
    messages = re.findall(r"^    (\S+) (queued .*)$", nb.text("ac014ef5"), re.MULTILINE)
    assert len(messages) == 3
    assert len({line for _, line in messages}) == 1                 # the same line...
    who = sorted({actor for actor, _ in messages})
    assert who == ["shim.main", "shim.requests"]                    # ...from two goroutines
    assert "`shim.requests`" in nb.prose("49a6b89c")               # the prose names it


def test_05_the_graphs_show_what_the_prose_reads_in_them():
    nb = ran("05-diagnose.ipynb")
    deadlocked = nb.graph_words("aaa77f42")
    assert "DEADLOCK" in title_of(deadlocked)
    assert state_of(deadlocked, "shim.main").startswith("blocked: recv replies")
    assert state_of(deadlocked, "engine") == "blocked: send notifications"
    assert nb.has_loop_colour("aaa77f42")                          # "a vermilion loop"
    stalled = nb.graph_words("99ba5908")
    assert "STALL" in title_of(stalled)
    assert state_of(stalled, "shim.main") == "blocked: send stream"
    slow = nb.graph_words("07718912")
    assert "nobody is stuck" in title_of(slow)
    reader = state_of(slow, "client.recv")
    prose = nb.prose("f1e1d30a")
    assert f"*{reader}*" in prose, f"the graph says client.recv is {reader!r}"
    if reader != "sleeping":
        assert "asleep" not in prose


# -- 06 fix it --------------------------------------------------------------------------

def test_06_the_sweep_shows_the_threshold_the_prose_names():
    nb = ran("06-fix-it.ipynb")
    assert "capacity + 1" in nb.prose("0e4fc903")
    thresholds = re.findall(r"capacity (\d+): .* is (\d+)", nb.text("6076b164"))
    assert len(thresholds) >= 4
    for capacity, first in thresholds:
        assert int(first) == int(capacity) + 1, (capacity, first)
    proofs = re.findall(r"explorer: size (\d+) (\S+), size (\d+) (\S+)", nb.text("6076b164"))
    assert len(proofs) == len(thresholds)
    assert all(below == "no-deadlock" and at == "deadlock" for _, below, _, at in proofs), proofs


def test_06_the_heat_maps_shares_grow_along_each_row_as_the_prose_says():
    """The heat map's cell draws sweep(seeds=range(12)); the prose says each row's share
    starts at capacity + 1 and grows with the request size, and the split is clean."""
    from lessons.tools.sweep import sweep
    assert "sweep(seeds=range(12))" in ran("06-fix-it.ipynb").cells["aab3fb69"].source
    swept = sweep(seeds=range(12))
    for capacity, row in zip(swept.capacities, swept.share("single")):
        assert all(a <= b for a, b in zip(row, row[1:])), (capacity, row)
        assert row[capacity - 1] == 0 < row[capacity], (capacity, row)
    assert not any(x for row in swept.share("split") for x in row)


def test_06_the_answer_to_6_2_waits_behind_a_reveal():
    assert ran("06-fix-it.ipynb").prose("04b51b8f").lstrip().startswith("<details>")


def learners(name, request):
    """The learner's edition (nbgrader's) of notebook `name`, run: every stub untouched."""
    return ran_at(request.getfixturevalue("learner_course") / "release" / ASSIGNMENT / name)


def test_06_the_course_fix_waits_until_6_1_passes(request):
    assert "shim_split.py" in ran("06-fix-it.ipynb").text("99a6017a")   # solved: the diff
    shown = learners("06-fix-it.ipynb", request).text("99a6017a")
    assert shown.startswith("6.1 first") and "shim_split.py" not in shown


def test_10_the_untouched_stub_is_not_shown_the_answer(request):
    report = learners("10-in-the-wild.ipynb", request).text("c77c8153")
    assert "not yet" in report and "missing: a triple for" in report
    assert not re.search(r"\('[\w.]+', '\w+', '(engine|shim)'\)", report), report


# -- 07 be the scheduler ----------------------------------------------------------------

def test_07_the_peek_after_six_moves_is_what_the_prose_says():
    nb = ran("07-be-the-scheduler.ipynb")
    picture, prose = nb.text("0945e3d1"), nb.prose("42c49510")
    assert "the `get` is in `handoff`" in prose
    assert re.search(r"handoff +\[#\] 1/1", picture)
    assert "the ping waits in `requests`" in prose
    assert re.search(r"requests +\[#\] 1/1", picture)
    assert "`client.send` is done" in prose
    assert re.search(r"client\.send +finished", picture)
    assert "Nobody else has started" in prose
    schedule = picture.splitlines()[6]            # printed after the six moves' effects
    assert all(word.startswith(("S", "R")) for word in schedule.split()), schedule


def test_07_names_the_dropdown_and_shows_no_stray_values():
    nb = ran("07-be-the-scheduler.ipynb")
    assert "dropdown" in nb.prose("35a09f0c") and "`M/1`" in nb.prose("35a09f0c")
    ending = nb.text("7ee8aa7a")
    assert ending.startswith("DEADLOCK |") and "True" not in ending
    counts = nb.text("b69e211b")
    assert "'completed'" in counts and "'deadlock'" in counts       # "Some seeds complete"
    assert nb.text("cff9d41d").startswith("deadlock |")
    assert nb.text("3ccca0a7").startswith("no-deadlock |")


# -- 08 dining philosophers -------------------------------------------------------------

def test_08_counts_and_the_livelock_as_told():
    nb = ran("08-dining-philosophers.ipynb")
    naive = {k: int(v) for k, v in re.findall(r"'(\w+)': (\d+)", nb.text("486deaad"))}
    assert naive["deadlock"] > 50                                    # "Most of them"
    assert "deadlock" not in nb.text("8d5080fb")                     # "None deadlocks"
    livelock = nb.text("d390c295")
    assert livelock.startswith("outcome: LIVELOCK") and "cycle:" not in livelock
    failures = re.search(r"(\d+) failed attempts", livelock).group(1)
    assert f"{failures} failed attempts" in nb.prose("7fa5cb48")


def test_08_real_threads_are_counted_not_promised():
    """Issue 21: "with real threads, the same code deadlocks too" met a run that completed.
    Real threads are not a seeded schedule: the prose says some evenings are lucky, and the
    cell counts ten of them."""
    nb = ran("08-dining-philosophers.ipynb")
    prose = nb.prose("257042fb")
    assert "can deadlock" in prose and "lucky" in prose
    counted = {k: int(v) for k, v in re.findall(r"'(\w+)': (\d+)", nb.text("81b13f6e"))}
    assert sum(counted.values()) == 10 and set(counted) <= {"completed", "deadlock"}
    if counted.get("deadlock"):
        assert "deadlock | cycle of 5 |" in nb.text("81b13f6e")     # "a cycle of five"


def test_08_after_a_livelock_the_prose_says_what_the_views_show():
    from dining.session import Session
    from dining.views import wait_for_graph

    session = Session(strategy="trylock", seed=49)
    try:
        session.run()
        picture = session.result().picture
        graph = wait_for_graph(session).text
    finally:
        session.close()
    assert "LIVELOCK" in picture.splitlines()[0]
    seats = [line for line in picture.splitlines() if re.match(r"  p\d+ +\w+ +\d+/\d+ meals", line)]
    assert len(seats) == 5 and all(" hungry " in line for line in seats)
    assert 'class="edge"' not in graph                               # "no arrows at all"
    for prose in (ran("08-dining-philosophers.ipynb").prose("230a1fb8"),
                  ran("08-dining-philosophers.ipynb").prose("57421911")):
        assert "hungry" in prose and re.search(r"no arrows?\b", prose)


# -- 09 workshop ------------------------------------------------------------------------

def test_09_the_graph_is_taken_when_the_deadlock_forms():
    nb = ran("09-workshop.ipynb")
    formed = formed_at(nb.text("0a3a0b16"))
    words = nb.graph_words("4ef38c5f")
    title = title_of(words)
    assert "DEADLOCK" in title, title
    assert float(re.search(r"at t=([\d.]+) s", title).group(1)) == formed
    assert nb.has_loop_colour("4ef38c5f")                           # the loop, in vermilion
    assert state_of(words, "shim.requests").startswith("blocked: recv replies")
    assert state_of(words, "engine") == "blocked: recv answers"


def test_09_why_it_is_safe_waits_behind_a_reveal():
    assert ran("09-workshop.ipynb").prose("4f67ced6").lstrip().startswith("<details>")


# -- 11 more deadlocks from the wild --------------------------------------------------------

NB11 = "11-more-deadlocks-from-the-wild.ipynb"


def test_11_random_runs_and_the_explorer_as_told():
    nb = ran(NB11)
    share = int(re.search(r"sim: (\d+)% of 200 seeds deadlock", nb.text("first-hits")).group(1))
    assert 35 <= share < 50                                          # "a bit under half"
    assert "real threads:" in nb.text("first-hits")                  # the machine's answer
    explored = nb.text("first-explore")
    assert explored.startswith("verdict: deadlock")
    assert ("cycle: watcher waits for lb (send updates); lb waits for watcher (acquire mu)"
            in explored)                                             # the loop the prose reads
    assert "verdict: no-deadlock within these bounds: every schedule" in nb.text("first-fix")


def test_11_the_first_graph_mixes_a_lock_and_a_channel():
    nb = ran(NB11)
    words = nb.graph_words("first-graph")
    assert "send updates" in words and "acquire mu" in words
    assert nb.has_loop_colour("first-graph")
    assert "send `updates`" in nb.prose("first-graph-reading")


def test_11_each_walk_finds_the_deadlock_draws_it_and_proves_the_fix():
    nb = ran(NB11)
    for cell in ("walk-rlock", "walk-wait", "walk-both", "walk-late", "walk-signal",
                 "walk-early", "walk-drain"):
        text = nb.text(cell)
        assert re.search(r"explorer: deadlock in \d+ moves", text), cell
        assert "the fix: no-deadlock" in text, cell
        assert nb.graph_words(cell), cell
    words = nb.graph_words("walk-rlock")
    assert "drain mu" in words and "acquire_read mu" in words
    assert "explorer: deadlock in 4 moves" in nb.text("walk-rlock")  # question 1's "four moves"


def test_11_a_leak_is_drawn_as_a_wait_with_nobody_left():
    nb = ran(NB11)
    words = nb.graph_words("walk-late")
    assert "nobody left" in words and "send done" in words
    assert "STUCK" in " ".join(words) and "finished" in words       # worker stuck, caller gone
    assert "a leak" in title_of(words)
    assert "*nobody left*" in nb.prose("leak-reading")


def test_11_the_table_as_told():
    rows = ran(NB11).text("table").splitlines()[2:]
    assert len(rows) == 8
    states = [int(row.split()[3]) for row in rows]
    assert max(states) <= 40                                         # "a few dozen states"


def test_11_the_checks_pass_in_the_teachers_edition():
    nb = ran(NB11)
    assert nb.text("ex1-check").startswith("✓ right")
    assert nb.text("ex2-check").startswith("✓ right")


def test_11_questions_3_and_4_hold():
    from functools import partial

    from lessons import explore
    from lessons.cases import case, late_send
    buggy = case("lock-across-send").buggy
    assert explore(partial(buggy, capacity=2)).verdict == "no-deadlock"
    assert explore(partial(buggy, capacity=2, updates_sent=4)).verdict == "deadlock"

    # Question 4: the work takes 0.01 s, the caller's timer 0.05 s.
    assert explore(late_send.program(0, work=0.01)).verdict == "no-deadlock"
    for cell in ("q1", "q2", "q3", "q4"):
        assert ran(NB11).prose(cell).lstrip().startswith("<details>")


# -- 12 the original in Go -----------------------------------------------------------------

def test_12_every_row_of_the_agreement_agrees_as_the_prose_says():
    """The rows are ones where the answer is as good as certain: each agrees (a slow
    client's 32 items would need Go's select to pick the item some two dozen times in a
    row; a fast client with an answer bigger than the buffer is left to
    benchmarks/original.py)."""
    from lessons.story.original import build
    if build.missing() is not None:
        pytest.skip(f"Go is not installed: {build.missing()}")
    rows = [line.split() for line in ran("12-the-original-in-go.ipynb").text("9216b613").splitlines()[1:]
            if line.strip()]
    assert len(rows) == 6 and all(row[-1] == "yes" for row in rows), rows
    # design, client, capacity, size, ...: no fast client with more than the buffer holds
    assert not [row for row in rows if row[1] == "fast" and int(row[3]) > int(row[2])], rows
