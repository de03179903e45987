"""A learner walks notebook 12 in a real browser: run all, then read what the Go program
printed (its exit line, Go's silent detector and the small program where it fires), the
goroutine dump, the wait-for graph and the agreement table. Screenshots land in
test-output/<test name>/."""
import pytest

from lessons.story.original import build

pytestmark = pytest.mark.skipif(build.missing() is not None,
                                reason=f"Go is not installed: {build.missing()}")

NOTEBOOK = "12-the-original-in-go.ipynb"
SHOWN = [   # (what a learner reads, the screenshot taken with it at the top)
    ("unknown timeout, exiting", "1-the-shims-exit"),
    ("Go's deadlock detector: said nothing", "2-detector-silent"),
    ("fatal error: all goroutines are asleep - deadlock!", "3-detector-fires"),
    ("[chan send, locked to thread]", "4-the-dump"),
    ("deadlock: shim.main waits for engine (recv replies)", "5-from-the-dump"),
    ("SIGQUIT: quit", "6-sigquit"),
    ("model (256 seeds)", "7-agreement"),
]


def test_a_learner_reads_the_go_program_after_run_all(lab):
    lab.open_notebook(NOTEBOOK)
    lab.show_file_browser()
    lab.run_all_cells()
    assert lab.error_outputs() == []
    for text, shot in SHOWN:
        lab.wait_for_text(text)
        output = lab.outputs().filter(has_text=text).first
        lab.scroll_to_top_of(output)
        lab.screenshot(shot)
    table = lab.outputs().filter(has_text="model (256 seeds)").first.inner_text()
    rows = [line for line in table.splitlines()[1:] if line.strip()]
    assert rows and all(line.rstrip().endswith("yes") for line in rows), table
    drawing = lab.picture_outputs().first
    lab.scroll_to_top_of(drawing)
    lab.screenshot("8-wait-for-graph")
