"""The control room in a real JupyterLab: a learner clicks its buttons and reads the
banner. Screenshots land in test-output/ (the course's own walk-through of notebook 04
is the course's test; this one checks the widget by itself)."""
import nbformat
import pytest

ROOM_CELL = """\
from lessons import Scenario
from lessons.views import ControlRoom

room = ControlRoom(Scenario(design="single", client="slow"))
room
"""
PROCESSES_CELL = ROOM_CELL.replace('client="slow"', 'client="slow", runtime="processes"')
ONE_TAB = True   # each test opens its own notebook and runs all


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("control-room")
    for name, cell in (("room.ipynb", ROOM_CELL), ("room-processes.ipynb", PROCESSES_CELL)):
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}
        nbformat.write(notebook, root / name)
    return root


def test_big_request_then_ping_shows_deadlock_then_shim_exited(lab):
    lab.open_notebook("room.ipynb")
    lab.run_all_cells()
    assert lab.error_outputs() == []
    lab.wait_for_text("READY")
    lab.click_together("Send big request", "Send ping")
    lab.wait_for_deadlock()
    lab.screenshot("control-room-deadlock")
    lab.wait_for_text("SHIM EXITED")
    lab.screenshot("control-room-shim-exited")
    lab.click_button("Reset")
    lab.wait_for_text("READY")


def test_on_real_processes_the_gauges_show_the_full_pipe(lab):
    """runtime processes: each click a gRPC call to a real shim, each gauge read from /proc."""
    lab.open_notebook("room-processes.ipynb")
    lab.run_all_cells()
    assert lab.error_outputs() == []
    lab.wait_for_text("READY")
    lab.wait_for_text("read from the kernel")
    lab.click_together("Send big request", "Send ping")
    lab.wait_for_deadlock()
    lab.wait_for_text("4/4  FULL")                 # notifications, as the kernel holds it
    lab.wait_for_text("blocked: send notifications")
    lab.wait_for_text("(processes)")               # the clock names the runtime
    lab.wait_for_text("engine (C process, pid")    # the graph draws processes as boxes
    lab.screenshot("control-room-processes-deadlock")
    lab.wait_for_text("SHIM EXITED")
    lab.screenshot("control-room-processes-shim-exited")
    lab.click_button("Reset")
    lab.wait_for_text("READY")
