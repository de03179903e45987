"""A learner walks notebook 04 in a real browser: run all, click the control room, see
DEADLOCK and then SHIM EXITED. Screenshots land in test-output/<test name>/."""

NOTEBOOK = "04-trigger-it.ipynb"


def banner(lab, word):
    """The control room's banner showing exactly `word` (the notebook's prose, which
    mentions the same words inside hidden answers, does not count)."""
    return lab.page.locator(".jp-OutputArea-output").get_by_text(word, exact=True).first


def test_the_control_room_deadlocks_and_the_shim_exits(lab):
    lab.open_notebook(NOTEBOOK)
    lab.run_all_cells()
    assert lab.error_outputs() == []
    room = lab.page.locator(".jp-OutputArea-output").filter(has_text="Send big request").first
    room.scroll_into_view_if_needed()
    lab.screenshot("1-control-room")

    lab.click_button("Send big request")
    lab.click_button("Send ping")
    banner(lab, "DEADLOCK").wait_for()
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
