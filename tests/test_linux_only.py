"""Notebook 10's `%%linux` cells: run as written on Linux, skipped with one sentence elsewhere."""
from lessons.views.linux_only import MAGIC, SKIPPED, body, run_on_linux


def test_on_linux_the_cell_runs_and_shows_its_last_expression():
    namespace = {}
    assert run_on_linux("x = 2\nx * 21", namespace, platform="linux") == 42
    assert namespace["x"] == 2
    assert run_on_linux("y = 1", namespace, platform="linux") is None and namespace["y"] == 1


def test_elsewhere_the_cell_runs_nothing_and_says_why(capsys):
    namespace = {}
    assert run_on_linux("from lessons import Scenario\nScenario(runtime='processes')",
                        namespace, platform="darwin") is None
    assert namespace == {}
    said = capsys.readouterr().out
    assert said.strip() == SKIPPED.format(platform="darwin")
    assert "needs Linux" in said and "darwin" in said


def test_a_marked_cells_body_is_what_runs_on_linux():
    assert body(MAGIC + "wild = 1\nwild") == "wild = 1\nwild"
    assert body("wild = 1") == "wild = 1"


def test_every_real_process_cell_of_notebook_10_is_marked():
    """A cell of notebook 10 that names the processes runtime or its results runs only
    under %%linux; the one that loads the magic comes before all of them."""
    import nbformat

    from tests.paths import NOTEBOOKS
    [path] = NOTEBOOKS.glob("10-*.ipynb")
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert code[0].startswith("%load_ext lessons.views.linux_only")
    uses = ("processes", "wild", "stalled", "fixed", "room", "story")
    for source in code[1:]:
        given = source.split("### BEGIN SOLUTION")[0]
        if any(word in given for word in uses) and "def follow_pipes" not in given and "said =" not in given:
            assert source.startswith(MAGIC), source[:80]
