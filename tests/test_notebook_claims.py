"""What the notebooks' prose says about their outputs is true of those outputs.

Each notebook runs headless once (nbclient, as test_notebooks.py does). A test then reads
a cell's printed text, or the words inside a drawn wait-for graph, and checks the facts
that the prose beside it states: depths, who is blocked, the banner word, the outcome,
when a deadlock formed. Cells are named by id, so each test points at the sentence it
holds true; a test that fails says which sentence and which output disagree.
"""
import functools
import html
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from lessons.views.waitgraph import CYCLE
from tests.paths import ASSIGNMENT, NOTEBOOKS

pytestmark = pytest.mark.allow_threads   # a kernel subprocess and its channels

CELL_TIMEOUT_SECONDS = 120
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


def output_text(output):
    if output["output_type"] == "stream":
        return output["text"]
    return output.get("data", {}).get("text/plain", "") + "\n"


def see_it_again_blocks(text):
    """The code under each "see it again:" in a check's report, dedented."""
    blocks = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        head, found, rest = line.partition("see it again:")
        if not found:
            continue
        if rest.strip():                       # the code on the same line
            blocks.append(rest.strip())
            continue
        indent = len(head) + 1
        body = []
        for following in lines[i + 1:]:
            if len(following) - len(following.lstrip()) < indent or not following.strip():
                break
            body.append(following)
        blocks.append(textwrap.dedent("\n".join(body)))
    return blocks


def ran(name):
    """The teacher's notebook `name` (notebooks/), run."""
    return ran_at(NOTEBOOKS / name)


@functools.cache
def ran_at(path: Path):
    """Run the notebook at `path` top to bottom; right after each cell, run every "see it
    again" block it printed, in the same kernel and at that moment, as a learner who copies
    it would (the block names the learner's functions as they are defined then)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_SECONDS, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    replays = []
    with client.setup_kernel():
        for index, cell in enumerate(list(notebook.cells)):
            client.execute_cell(cell, index)
            printed = "".join(output_text(output) for output in cell.get("outputs", []))
            for code in see_it_again_blocks(printed):
                replays.append((code, run_probe(client, notebook, code)))
    return Ran(notebook, replays)


def run_probe(client, notebook, code):
    """Run `code` in the notebook's kernel: None, or the last line of its error."""
    notebook.cells.append(nbformat.v4.new_code_cell(code))
    try:
        client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
        return None
    except CellExecutionError as error:
        return str(error).strip().splitlines()[-1]
    finally:
        notebook.cells.pop()     # the notebook's own cells are what the tests read


NOTEBOOK_NAMES = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))


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
    assert nb.has_loop_colour("aaa77f42")                          # "a red loop"
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
    """The heat map's cell draws sweep(seeds=range(30)); the prose says each row's share
    starts at capacity + 1 and grows with the request size, and the split is clean."""
    from lessons.tools.sweep import sweep
    assert "sweep(seeds=range(30))" in ran("06-fix-it.ipynb").cells["aab3fb69"].source
    swept = sweep(seeds=range(30))
    for capacity, row in zip(swept.capacities, swept.share("single")):
        assert all(a <= b for a, b in zip(row, row[1:])), (capacity, row)
        assert row[capacity - 1] == 0 < row[capacity], (capacity, row)
    assert not any(x for row in swept.share("split") for x in row)


def test_06_the_answer_to_6_2_waits_behind_a_reveal():
    assert ran("06-fix-it.ipynb").prose("04b51b8f").lstrip().startswith("<details>")


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
    assert nb.has_loop_colour("4ef38c5f")                           # the loop, in red
    assert state_of(words, "shim.requests").startswith("blocked: recv replies")
    assert state_of(words, "engine") == "blocked: recv answers"


def test_09_why_it_is_safe_waits_behind_a_reveal():
    assert ran("09-workshop.ipynb").prose("4f67ced6").lstrip().startswith("<details>")
