"""A learner walks notebook 10 in a real browser: run all, then take the control room
on real processes: two clicks, the banner at DEADLOCK with the notifications pipe full
as the kernel reports it, then SHIM EXITED. Screenshots land in test-output/<test name>/."""

from tests.browser.test_notebook04 import banner

NOTEBOOK = "10-in-the-wild.ipynb"


def test_the_room_on_real_processes_after_run_all(lab):
    lab.open_notebook(NOTEBOOK)
    lab.show_file_browser()
    lab.run_all_cells()
    assert lab.error_outputs() == []
    room = lab.page.locator(".jp-OutputArea-output").filter(has_text="Send big request").first
    room.scroll_into_view_if_needed()
    banner(lab, "READY").wait_for()
    lab.screenshot("1-room-ready")

    # Run All has also run `room.close()`: a click after it starts a fresh run.
    lab.click_button("Send big request", within=room)
    lab.click_button("Send ping", within=room)
    banner(lab, "DEADLOCK").wait_for()
    room.get_by_text("4/4  FULL").wait_for()    # read at every look
    room.get_by_text("1/4", exact=True).wait_for()
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
