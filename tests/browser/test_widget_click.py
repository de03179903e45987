"""The browser harness end to end, on a notebook of its own: a learner opens it,
runs all cells, clicks a widget button and sees the widget change."""
import pytest

from tests.browser.lab import write_notebook

PING_CELL = """\
import ipywidgets as widgets

button = widgets.Button(description="Send ping")
reply = widgets.Label("no reply yet")
button.on_click(lambda _: setattr(reply, "value", "pong"))
widgets.VBox([button, reply])
"""


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory):
    """A folder outside the repository holding only ping.ipynb."""
    root = tmp_path_factory.mktemp("ping-notebooks")
    write_notebook(root / "ping.ipynb", PING_CELL)
    return root


def test_clicking_a_widget_button_updates_a_label(lab):
    lab.run_notebook("ping.ipynb")
    lab.wait_for_text("no reply yet")
    lab.click_button("Send ping")
    lab.wait_for_text("pong")
    assert lab.text_of(".widget-label") == "pong"
    lab.screenshot("after-click")
