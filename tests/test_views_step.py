"""Step mode as widgets: buttons follow the enabled set; predict first; undo."""
import pytest

from lessons import Scenario
from lessons.views import StepView

PREFIX = "E M R C S*2 R S R*2 M/1 M"


@pytest.fixture
def view_for():
    views = []

    def make(**kwargs):
        views.append(StepView(graph=False, **kwargs))
        return views[-1]
    yield make
    for view in views:
        view.close()


def enabled_buttons(view):
    return [name for name, button in view.buttons.items() if not button.disabled]


def test_one_button_per_actor_following_the_enabled_set(view_for):
    view = view_for(scenario=Scenario(design="single", schedule=PREFIX), predict=False)
    assert list(view.buttons) == ["client.send", "client.recv", "shim.requests", "shim.main",
                                  "engine"]
    assert enabled_buttons(view) == view.stepper.enabled() == ["shim.requests", "engine"]
    assert "blocked: recv stream (0/2 empty)" in view.reasons["client.recv"].value
    view.buttons["engine"].click()
    assert enabled_buttons(view) == view.stepper.enabled()
    assert view.schedule.value == view.stepper.schedule == PREFIX + " E"


def test_predict_first_asks_before_the_move_is_made(view_for):
    view = view_for(scenario=Scenario(design="single"))
    view.buttons["client.send"].click()
    assert "Predict first" in view.question.value
    assert enabled_buttons(view) == [] and view.schedule.value == ""
    assert all(b.style.button_color is None for b in view.buttons.values())   # none looks movable
    view.reveal.click()                      # no answer yet: nothing happens
    assert view.schedule.value == ""
    view.answer.value = "it blocks"
    view.reveal.click()
    assert view.schedule.value == "S"
    assert "you said it blocks; in fact it moves on" in view.feedback.value
    assert enabled_buttons(view) == view.stepper.enabled()


def test_undo_restores_the_previous_state(view_for):
    view = view_for(scenario=Scenario(design="single", schedule=PREFIX), predict=False)
    before = (view.schedule.value, view.picture.value, enabled_buttons(view))
    view.buttons["shim.requests"].click()
    assert view.schedule.value != before[0]
    view.undo.click()
    assert (view.schedule.value, view.picture.value, enabled_buttons(view)) == before


def test_a_select_gets_a_case_chooser(view_for):
    view = view_for(scenario=Scenario(design="single",
                                      schedule="E S*2 R*2 S R*2 C M M/1 R M E*6 M"),
                    predict=False)
    assert view.cases["shim.main"].layout.display == ""
    assert [v for _, v in view.cases["shim.main"].options] == ["M/0", "M/1"]
    view.cases["shim.main"].value = "M/1"
    view.buttons["shim.main"].click()
    assert view.schedule.value.endswith("M M/1")


def test_replaying_a_schedule_string(view_for):
    view = view_for(predict=False)
    view.replay_schedule(PREFIX)
    assert view.schedule.value == PREFIX
    view.replay_schedule("Z Z")
    assert "this run has no actor &#x27;Z&#x27;" in view.feedback.value and view.schedule.value == ""
    view.replay_schedule(PREFIX + " C")     # a known actor, at a moment it cannot move
    assert "cannot move now" in view.feedback.value and view.schedule.value == ""


def test_undo_and_reset_clear_the_last_moves_message(view_for):
    view = view_for(scenario=Scenario(design="single", schedule=PREFIX), predict=False)
    view.buttons["engine"].click()
    assert view.feedback.value.startswith("<code>E</code>")
    view.undo.click()
    assert view.feedback.value == ""
    view.buttons["engine"].click()
    view.reset.click()
    assert view.feedback.value == ""


def test_every_control_is_labelled_for_a_screen_reader(view_for):
    view = view_for(scenario=Scenario(design="single"))
    for control in [*view.buttons.values(), view.undo, view.reset, view.replay, view.reveal,
                    view.predict, view.schedule]:
        assert control.description and control.tooltip
    for name, cases in view.cases.items():
        assert cases.description == "case" and name in cases.tooltip
    assert view.answer.description == "prediction"
    assert view.banner.tooltip.startswith("RUNNING: ")
