"""What a learner does in a notebook once Run All is over and its pictures are seen: the
clicks, the waits and the reading that the walk (tests/browser/test_every_notebook.py)
goes on with in the same tab, so that each notebook runs once in the browser. NEXT maps a
notebook to its next steps; their screenshots land in the walk's folder of the notebook,
in then/."""
import pytest

from lessons.story.original import build


def banner(lab, word):
    """The control room's banner showing exactly `word` (the notebook's prose, which
    mentions the same words inside hidden answers, does not count)."""
    return lab.page.locator(".jp-OutputArea-output").get_by_text(word, exact=True).first


def control_room(lab):
    return lab.page.locator(".jp-OutputArea-output").filter(has_text="Send big request").first


def trigger_the_deadlock(lab):
    """Notebook 04: click the control room, see DEADLOCK (unless a busy machine looked only
    after the exit: LabPage.wait_for_deadlock) and then SHIM EXITED; then down to the
    timeline."""
    room = control_room(lab)
    room.scroll_into_view_if_needed()
    lab.screenshot("1-control-room")

    lab.click_together("Send big request", "Send ping")
    if lab.wait_for_deadlock(room) == "DEADLOCK":
        room.scroll_into_view_if_needed()
        lab.screenshot("2-deadlock")

    banner(lab, "SHIM EXITED").wait_for()
    room.scroll_into_view_if_needed()
    lab.screenshot("3-shim-exited")

    # Down to the timeline (two cells below the control room) the way a learner
    # would, with the keyboard: JupyterLab only draws the cells near the viewport.
    lab.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(2).click()
    lab.page.keyboard.press("Escape")
    for _ in range(3):
        lab.page.keyboard.press("j")
    timeline = lab.page.locator(".jp-OutputArea-output img").first
    timeline.wait_for()
    timeline.scroll_into_view_if_needed()
    lab.screenshot("4-timeline")


def take_the_controls_on_real_processes(lab):
    """Notebook 10: two clicks, the banner at DEADLOCK with the notifications pipe full as
    the kernel reports it, then SHIM EXITED, the recent events, and Reset."""
    room = control_room(lab)
    room.scroll_into_view_if_needed()
    banner(lab, "READY").wait_for()
    lab.screenshot("1-room-ready")

    # Run All has also run `room.close()`: a click after it starts a fresh run.
    lab.click_together("Send big request", "Send ping", within=room)
    seen = lab.wait_for_deadlock(room)
    room.get_by_text("4/4  FULL").wait_for()    # read at every look
    room.get_by_text("1/4", exact=True).wait_for()
    if seen == "DEADLOCK":
        room.scroll_into_view_if_needed()
        lab.screenshot("2-deadlock")

    banner(lab, "SHIM EXITED").wait_for()
    room.get_by_text("4/4  FULL").wait_for()    # the last look, kept
    lab.screenshot("3-shim-exited")

    room.get_by_role("tab", name="recent events").click()
    room.get_by_text("exited: shim.main queued request #2 ping").wait_for()
    room.get_by_text("no replay: real processes are scheduled by the kernel").wait_for()
    lab.screenshot("4-recent-events")
    room.get_by_role("tab", name="control room").click()
    lab.click_button("Reset", within=room)
    banner(lab, "READY").wait_for()


GO_PROGRAM_SHOWN = [   # (what a learner reads, the screenshot taken with it at the top)
    ("unknown timeout, exiting", "1-the-shims-exit"),
    ("Go's deadlock detector: said nothing", "2-detector-silent"),
    ("fatal error: all goroutines are asleep - deadlock!", "3-detector-fires"),
    ("[chan send, locked to thread]", "4-the-dump"),
    ("deadlock: shim.main waits for engine (recv replies)", "5-from-the-dump"),
    ("SIGQUIT: quit", "6-sigquit"),
    ("model (256 seeds)", "7-agreement"),
]


def read_the_go_program(lab):
    """Notebook 12: what the Go program printed (its exit line, Go's silent detector and
    the small program where it fires), the goroutine dump, the agreement table and the
    wait-for graph."""
    if build.missing() is not None:
        pytest.skip(f"Go is not installed: {build.missing()}")
    for text, shot in GO_PROGRAM_SHOWN:
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


NEXT = {
    "04-trigger-it.ipynb": trigger_the_deadlock,
    "10-in-the-wild.ipynb": take_the_controls_on_real_processes,
    "12-the-original-in-go.ipynb": read_the_go_program,
}
