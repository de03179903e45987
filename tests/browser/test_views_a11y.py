"""The views in a real JupyterLab at 1400 x 1000 with the file browser open, the way a
class sees them: driven by the keyboard alone, scanned by axe-core, measured.

- The notebook's output area is at least as wide as the width the figures are made for
  (tests.views_gallery.NOTEBOOK_WIDTH_PX), so no figure is shrunk below 10 px text.
- The control room fits a 1400 x 900 window: its output is no taller than the notebook's
  visible area.
- Step mode reaches DEADLOCK with Tab, Enter and the arrow keys only (no mouse), choosing
  shim.main's select case with the keyboard; the control room's buttons too.
- axe-core (the copy inside axe-playwright-python) finds no critical violation in the
  course's widgets; everything it reports (any impact, ours and JupyterLab's own) is
  saved as axe.json beside the screenshots in test-output/<test name>/.
"""
import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from lessons import Scenario, explore
from tests.browser.lab import write_notebook
from tests.views_gallery import MIN_TEXT_PX, NOTEBOOK_WIDTH_PX

# Each test opens its notebook, sets the window's size and runs all: what an earlier
# test left in the tab does not reach it.
ONE_TAB = True

SMALL = dict(design="single", client="fast", channel_capacity=1, request_size=2)
# A client ten times slower than the story's: the big answer streams for 16 s, not 1.6 s,
# so the ping, pressed after a walk with Tab, lands while it streams however busy the
# machine is.
ROOM_CELL = """\
from lessons import Scenario
from lessons.views import ControlRoom

room = ControlRoom(Scenario(design="single", client="slow", read_interval=0.5))
room
"""
STEP_CELL = f"""\
from lessons import Scenario
from lessons.views import StepView

StepView(Scenario(**{SMALL!r}), predict=False)
"""
ACTORS = {"S": "client.send", "C": "client.recv", "R": "shim.requests", "M": "shim.main",
          "E": "engine"}
MAX_TABS = 300      # JupyterLab's own controls come first when focus wraps around

# What has the keyboard focus, as a learner's screen reader would name it: a button by
# its text; a dropdown by its label and the button on its row.
FOCUSED_JS = """() => {
    const e = document.activeElement;
    if (!e) return '';
    if (e.tagName === 'SELECT') {
        const row = e.closest('.widget-hbox');
        const label = e.closest('.widget-dropdown').querySelector('label');
        const button = row ? row.querySelector('button') : null;
        return 'select ' + (label ? label.textContent.trim() : '') + ' of ' +
               (button ? button.textContent.trim() : '');
    }
    return e.tagName.toLowerCase() + ' ' + e.textContent.trim();
}"""
SELECTED_JS = "() => document.activeElement.selectedOptions[0].textContent"
CHOICE_JS = ("() => ((document.activeElement.selectedOptions || [])[0] || {textContent: ''})"
             ".textContent")
# The view's schedule box, written out move by move ("S*2" -> "S S"), equals `want`.
SCHEDULE_IS_JS = """want => {
    const box = [...document.querySelectorAll('.widget-text input')]
        .find(input => input.closest('.widget-text').textContent.includes('schedule'));
    if (!box) return false;
    const made = box.value.trim().split(/\\s+/).filter(Boolean).flatMap(token => {
        const [move, times] = token.split('*');
        return Array(Number(times || 1)).fill(move);
    });
    return made.join(' ') === want;
}"""


# Each text in an output's SVG drawing, and its height in screen pixels: its font size
# (in the drawing's units) times the drawing's scale on screen.
TEXT_SIZES_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output svg text')]
    .filter(t => t.getBoundingClientRect().width > 0 && t.textContent.trim())
    .map(t => {
        const m = t.getScreenCTM();
        return [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)];
    })"""
# Widget labels whose text is wider than their box (shown with an ellipsis).
CUT_LABELS_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output .widget-label-basic, '
    + '.jp-OutputArea-output .widget-label')]
    .filter(l => l.offsetWidth > 0 && l.scrollWidth > l.clientWidth + 1)
    .map(l => l.textContent)"""
PREDICT_CELL = f"""\
from lessons import Scenario
from lessons.views import StepView

StepView(Scenario(**{SMALL!r}))
"""
# The notebook's active cell (JupyterLab moves it on arrow keys it takes as shortcuts).
ACTIVE_CELL_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook > .jp-Cell')]
    .findIndex(c => c.classList.contains('jp-mod-active'))"""
# The focused control's ring, as drawn: outline width in px (0 when there is none).
RING_JS = """() => parseFloat(getComputedStyle(document.activeElement).outlineWidth) || 0"""
MIN_RING_PX = 3
TABLE_CELL = """\
from dining.views import TableView

TableView()
"""


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("views-a11y")
    write_notebook(root / "room.ipynb", ROOM_CELL)
    write_notebook(root / "step.ipynb", STEP_CELL)
    write_notebook(root / "table.ipynb", TABLE_CELL)
    write_notebook(root / "predict.ipynb", PREDICT_CELL, "1 + 1")
    return root


def at_class_size(lab, height=1000):
    """1400 px wide, the file browser open on the left."""
    lab.page.set_viewport_size({"width": 1400, "height": height})
    if not lab.page.locator(".jp-FileBrowser").is_visible():
        lab.page.keyboard.press("Control+Shift+F")
    lab.page.locator(".jp-FileBrowser").wait_for(state="visible")


def focus(lab, target):
    """Press Tab (then Shift+Tab) until the focus is on `target` (as FOCUSED_JS names it)."""
    passed = []
    for key in ("Tab", "Shift+Tab"):
        for _ in range(MAX_TABS):
            passed.append(lab.page.evaluate(FOCUSED_JS))
            if passed[-1] == target:
                return
            lab.page.keyboard.press(key)
    raise AssertionError(f"Tab never reached {target!r}; it passed {sorted(set(passed))}")


def chooser_shown(lab, actor):
    """Is the case dropdown beside `actor`'s button on show (several cases ready)?"""
    row = lab.outputs().locator(".widget-hbox").filter(
        has=lab.page.get_by_role("button", name=actor, exact=True))
    return row.locator("select").first.is_visible()


def moves(schedule):
    """'S*2 M/1' -> ['S', 'S', 'M/1']."""
    out = []
    for token in schedule.split():
        move, _, times = token.partition("*")
        out += [move] * int(times or 1)
    return out


def test_figures_get_the_width_they_are_made_for_and_the_room_fits(lab):
    lab.open_notebook("room.ipynb")
    at_class_size(lab, height=900)
    lab.run_all_cells()
    room = lab.outputs().filter(has_text="Send big request").first
    room.scroll_into_view_if_needed()
    width = lab.page.evaluate("() => document.querySelector("
                              "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')"
                              ".getBoundingClientRect().width")
    assert width >= NOTEBOOK_WIDTH_PX
    visible = lab.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
                               ).bounding_box()
    lab.click_together("Send big request", "Send ping")   # the room at its tallest: a deadlock
    lab.wait_for_deadlock()
    room.scroll_into_view_if_needed()
    assert_text_is_readable(lab)
    box = room.bounding_box()
    lab.screenshot("control-room-1400x900")
    assert box["height"] <= visible["height"], (box, visible)


def test_the_control_room_by_keyboard_and_its_axe_scan(lab):
    lab.open_notebook("room.ipynb")
    at_class_size(lab)
    lab.run_all_cells()
    lab.wait_for_text("READY")
    focus(lab, "button Send big request")
    lab.page.keyboard.press("Enter")
    focus(lab, "button Send ping")
    lab.page.keyboard.press("Enter")
    lab.wait_for_deadlock()
    lab.screenshot("control-room-by-keyboard")
    ours, theirs = scan(lab)
    assert ours == []


def test_the_dining_table_by_keyboard_fits_and_reads(lab):
    lab.open_notebook("table.ipynb")
    at_class_size(lab)
    lab.run_all_cells()
    focus(lab, "button Start")
    lab.page.keyboard.press("Enter")
    lab.wait_for_text("DEADLOCK")
    lab.page.wait_for_function("() => [...document.querySelectorAll('.jp-OutputArea-output "
                               "figcaption')].some(c => c.textContent.includes('deadlock'))")
    lab.screenshot("dining-table-deadlock")
    assert_text_is_readable(lab)
    ours, _ = scan(lab)
    assert ours == []


def assert_text_is_readable(lab):
    """Every text in the outputs' drawings is at least 10 px tall as rendered, and no
    widget label is cut off with an ellipsis (the "philosoph..." of issue 10)."""
    sizes = lab.page.evaluate(TEXT_SIZES_JS)
    lab.screenshot_dir.mkdir(parents=True, exist_ok=True)
    (lab.screenshot_dir / "smallest-texts.json").write_text(
        json.dumps(sorted(sizes, key=lambda text_px: text_px[1])[:5], indent=1))
    small = [(text, round(px, 1)) for text, px in sizes if px < MIN_TEXT_PX]
    assert sizes and small == []
    assert lab.page.evaluate(CUT_LABELS_JS) == []


def test_step_mode_reaches_a_deadlock_by_keyboard_alone(lab):
    schedule = explore(Scenario(**SMALL)).schedule
    lab.open_notebook("step.ipynb")
    at_class_size(lab)
    lab.run_all_cells()
    made = []
    for move in moves(schedule):
        actor = ACTORS[move[0]]
        if "/" in move and chooser_shown(lab, actor):   # a case of a select with several
            focus(lab, f"select case of {actor}")
            for _ in range(4):
                if lab.page.evaluate(SELECTED_JS).startswith(move + ":"):
                    break
                lab.page.keyboard.press("ArrowDown")
            assert lab.page.evaluate(SELECTED_JS).startswith(move + ":")
        focus(lab, f"button {actor}")
        lab.page.keyboard.press("Enter")
        made.append(move)
        # The kernel answers each press; the next one waits for the view to show it. The
        # view hands the focus on before it writes the schedule (StepView._show), so once
        # the schedule shows the move the focus is where it will stay: back on the actor's
        # own button, or on Undo once it cannot move; never on another actor's button,
        # where a second Enter would move someone else.
        lab.page.wait_for_function(SCHEDULE_IS_JS, arg=" ".join(made))
        assert lab.page.evaluate(FOCUSED_JS) in (f"button {actor}", "button Undo")
    lab.wait_for_text("DEADLOCK")
    lab.screenshot("step-mode-deadlock-by-keyboard")
    assert_text_is_readable(lab)
    ours, _ = scan(lab)
    assert ours == []


def scan(lab):
    """axe-core's critical violations, split into the course's widgets and JupyterLab's;
    both saved as JSON beside the screenshots."""
    results = Axe().run(lab.page).response
    found = {"course widgets": [], "jupyterlab": []}
    for violation in results["violations"]:
        for node in violation["nodes"]:
            inside = lab.page.evaluate(
                "sel => { const e = document.querySelector(sel);"
                " return !!(e && e.closest('.jp-OutputArea-output')); }", node["target"][0])
            found["course widgets" if inside else "jupyterlab"].append(
                {"impact": violation["impact"], "rule": violation["id"],
                 "help": violation["help"], "target": node["target"]})
    lab.screenshot_dir.mkdir(parents=True, exist_ok=True)
    (lab.screenshot_dir / "axe.json").write_text(json.dumps(found, indent=1))
    return [[v for v in found[where] if v["impact"] == "critical"]
            for where in ("course widgets", "jupyterlab")]


def keeps_its_arrow_keys(lab):
    """ArrowDown changes the focused control's choice, and not the notebook's active cell."""
    cell, before = lab.page.evaluate(ACTIVE_CELL_JS), lab.page.evaluate(CHOICE_JS)
    lab.page.keyboard.press("ArrowDown")
    lab.page.wait_for_function(f"([before, cell]) => ({CHOICE_JS})() !== before || "
                               f"({ACTIVE_CELL_JS})() !== cell", arg=[before, cell])
    assert lab.page.evaluate(ACTIVE_CELL_JS) == cell, "the arrow key moved the cell selection"


def test_predict_first_by_keyboard_the_focus_follows_the_question(lab):
    lab.open_notebook("predict.ipynb")
    at_class_size(lab)
    lab.run_all_cells()
    focus(lab, "button client.send")
    assert lab.page.evaluate(RING_JS) >= MIN_RING_PX            # a ring a class can see
    lab.page.keyboard.press("Enter")
    # The question opens and the focus is on its answers, not dropped to the page.
    lab.page.wait_for_function("() => document.activeElement.tagName === 'SELECT' && "
                               "document.activeElement.closest('.widget-select') !== null")
    keeps_its_arrow_keys(lab)
    lab.page.keyboard.press("Tab")
    assert lab.page.evaluate(FOCUSED_JS) == "button Reveal"
    lab.page.keyboard.press("Enter")
    lab.page.wait_for_function(SCHEDULE_IS_JS, arg="S")         # the focus came before it
    assert lab.page.evaluate(FOCUSED_JS) in ("button client.send", "button Undo")
    lab.screenshot("predict-first-by-keyboard")


def test_the_control_rooms_knob_dropdown_keeps_its_arrow_keys(lab):
    lab.open_notebook("room.ipynb")
    at_class_size(lab)
    lab.run_all_cells()
    lab.wait_for_text("READY")
    lab.page.get_by_role("tab", name="knobs").click()
    focus(lab, "select design of ")
    keeps_its_arrow_keys(lab)
    lab.screenshot("control-room-knob-by-keyboard")
