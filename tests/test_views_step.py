"""Step mode as widgets: buttons follow the enabled set; predict first; undo; what the
browser is told after a press, in order."""
import comm
import pytest
from comm.base_comm import BaseComm

from lessons import Scenario
from lessons.views import StepView

PREFIX = "E M R C S*2 R S R*2 M/1 M"


@pytest.fixture
def view_for():
    views = []

    def make(**kwargs):
        views.append(StepView(**{"graph": False, **kwargs}))
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


class Recorded(BaseComm):
    """A widget's comm that keeps, in order, every message the kernel would send the
    browser (`comm.create_comm` is there to be replaced by whoever carries the messages)."""
    sent: list = []

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        self.sent.append((self.comm_id, data or {}))


@pytest.fixture
def recorded(monkeypatch):
    monkeypatch.setattr(comm, "create_comm", Recorded)
    monkeypatch.setattr(Recorded, "sent", [])
    return Recorded.sent


def told_after(press, view, sent):
    """What the browser is told after `press()`, in order: "focus <widget>" for each focus
    message, "control" for each change to a control's state (disabled, shown or hidden),
    "schedule" for a new schedule and "drawing" for a new picture or graph."""
    names = {widget.comm.comm_id: name for name, widget in
             [*view.buttons.items(), ("Undo", view.undo), ("answer", view.answer)]}
    run = {view.schedule.comm.comm_id: "schedule", view.picture.comm.comm_id: "drawing",
           view.graph.comm.comm_id: "drawing"}
    start = len(sent)
    press()
    told = []
    for comm_id, data in sent[start:]:
        state = data.get("state", {})
        if data.get("content") == {"do": "focus"}:
            told.append(f"focus {names[comm_id]}")
        elif {"disabled", "display"} & set(state):
            told.append("control")
        elif comm_id in run and "value" in state:
            told.append(run[comm_id])
    return told


def around_focus(told):
    """What comes before the one focus message, the message, and what comes after it."""
    focus = [i for i, word in enumerate(told) if word.startswith("focus")]
    assert len(focus) == 1, told
    return told[:focus[0]], told[focus[0]], told[focus[0] + 1:]


# Moves after which the actor can move again, and one after which it cannot (a fast
# client's second send waits on a full channel of 1): its button is disabled, and Undo
# gets the focus.
FOCUS_CASES = [("engine", Scenario(design="single", schedule=PREFIX), "engine"),
               ("client.send", Scenario(design="single"), "client.send"),
               ("client.send", Scenario(design="single", client="fast", channel_capacity=1,
                                        request_size=2, schedule="S"), "Undo")]


@pytest.mark.parametrize("actor, scenario, focused", FOCUS_CASES)
def test_the_focus_comes_after_the_controls_and_before_the_schedule_and_drawings(
        view_for, recorded, actor, scenario, focused):
    """The browser applies the kernel's messages in order. A button still shown disabled
    cannot take the focus; and whoever waits for the schedule to show a move (a learner
    at the keyboard, the browser test) finds the focus back already, not on its way
    behind graphviz's drawing."""
    view = view_for(scenario=scenario, predict=False, graph=True)
    before, focus, after = around_focus(told_after(view.buttons[actor].click, view, recorded))
    assert set(before) <= {"control"} and "schedule" in after, (before, focus, after)
    assert set(after) <= {"schedule", "drawing"}, after
    assert focus == f"focus {focused}"
    assert view.buttons[actor].disabled == (focused == "Undo")


def test_predict_first_moves_the_focus_to_the_answers_and_back_once_they_show(
        view_for, recorded):
    view = view_for(scenario=Scenario(design="single"))
    before, focus, after = around_focus(
        told_after(view.buttons["client.send"].click, view, recorded))
    assert "control" in before and focus == "focus answer" and after == []
    view.answer.value = "it moves on"
    # Reveal hides itself and enables the buttons again: the focus comes after that.
    before, focus, after = around_focus(told_after(view.reveal.click, view, recorded))
    assert "control" in before and focus == "focus client.send" and "schedule" in after
