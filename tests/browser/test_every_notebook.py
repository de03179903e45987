"""A learner's walk through the whole course in a real browser: JupyterLab in Chromium
(1400 x 1000, the file browser open), each notebook opened from the file browser in turn
in the one tab, Run All, no error output.
Then a screenshot of the window with each figure and widget at its top, in
test-output/walk/<notebook>/, for a person to look at, with sizes.txt saying how wide
each one was drawn against the room its output area had. In some notebooks the learner
then goes on in the same tab, with the notebook's run behind them (tests/browser/
next_steps.py: the control rooms of 04 and 10 clicked to DEADLOCK and SHIM EXITED, the
reading of the Go program in 12): each notebook is run once in the browser."""
import pytest

from tests.browser.next_steps import NEXT
from tests.paths import TEST_OUTPUT, notebook_paths

NOTEBOOK_NAMES = [path.name for path in notebook_paths()]
# The learner goes from one notebook to the next in the JupyterLab they opened.
ONE_TAB = True

# How wide a picture is drawn, and how wide its output area is: a picture wider than its
# area is cut off (or scrolls) in front of the class.
MEASURE_JS = """output => {
    const shown = output.querySelector('img, svg, .jupyter-widgets') || output;
    return [Math.round(shown.getBoundingClientRect().width), output.clientWidth,
            output.scrollWidth];
}"""


def kind_of(output):
    mime = output.get_attribute("data-mime-type")
    return {"image/png": "figure", "image/svg+xml": "drawing",
            "text/html": "figure"}.get(mime, "widget")


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_a_learner_runs_the_notebook_and_sees_its_pictures(lab, name):
    lab.screenshot_dir = TEST_OUTPUT / "walk" / name.removesuffix(".ipynb")
    try:
        lab.open_notebook(name)
        lab.show_file_browser()
        lab.run_all_cells()
        assert lab.error_outputs() == [], f"{name} printed errors"
        lab.screenshot("0-window")
        pictures = lab.picture_outputs()
        sizes = []
        for index in range(pictures.count()):
            output = pictures.nth(index)
            kind = kind_of(output)
            if kind == "widget":     # a widget's view attaches after its output does
                output.locator(".jupyter-widgets").first.wait_for()
            # The window, as the learner sees it with the picture at the top (a widget
            # can be taller than the window: an element screenshot would be clipped).
            lab.scroll_to_top_of(output)
            drawn, room, scrolled = output.evaluate(MEASURE_JS)
            label = f"{index + 1}-{kind}"
            sizes.append(f"{label}: drawn {drawn} px wide, output area {room} px"
                         + (f", scrolls to {scrolled} px" if scrolled > room else ""))
            lab.screenshot(label)
        (lab.screenshot_dir / "sizes.txt").write_text("\n".join(sizes) + "\n")
        if name in NEXT:
            lab.screenshot_dir /= "then"
            NEXT[name](lab)
    finally:
        lab.server.shut_down_kernels()
