"""The control room, driven headless: click buttons, read the widgets."""
import threading

import pytest

from lessons import Scenario
from lessons.views import ControlRoom

LABELS = ("Send big request", "Send ping", "Subscribe", "Reset")


@pytest.fixture
def room_for():
    rooms = []

    def make(**knobs):
        rooms.append(ControlRoom(Scenario(**knobs)))
        return rooms[-1]
    yield make
    for room in rooms:
        room.close()


def trigger(room):
    room.buttons["Send big request"].click()
    room.buttons["Send ping"].click()


def test_the_buttons_carry_the_course_labels(room_for):
    room = room_for()
    assert tuple(room.buttons) == LABELS
    assert [b.description for b in room.buttons.values()] == list(LABELS)
    assert all(b.tooltip for b in room.buttons.values())


def test_before_the_first_click_the_banner_says_ready_and_waits(room_for):
    room = room_for()
    assert room.banner.value == "READY" and not room.live.started
    assert room.clock.value == "waiting for your first click"
    assert "first click" in room.banner.tooltip


@pytest.mark.parametrize("runtime", ["sim", "threads"])
def test_single_design_shows_deadlock_then_shim_exited(room_for, runtime):
    room = room_for(design="single", client="slow", runtime=runtime)
    trigger(room)
    assert room.wait_for("SHIM EXITED") == "SHIM EXITED"
    assert room.seen[0] == "READY"
    assert [w for w in room.seen[1:] if w != "RUNNING"] == ["DEADLOCK", "SHIM EXITED"]
    formed = room.live.rt.deadlock.t
    assert f"deadlock formed at t = {formed:.3f} s" in room.clock.value
    assert f"formed at t={formed:.3f} s" in room.graph.value
    assert room.gauges["notifications"].value == room.gauges["notifications"].max
    assert "exited: its timer fired" in room.actors["shim.main"].value
    assert "blocked: send notifications" in room.actors["engine"].value
    assert "requests=['get 32 @ 0" in room.replay.value.replace("&#x27;", "'")


def test_split_design_completes(room_for):
    room = room_for(design="split", client="slow")
    trigger(room)
    assert room.wait_for("COMPLETED", "DEADLOCK", "SHIM EXITED") == "COMPLETED"
    assert "DEADLOCK" not in room.seen
    assert set(room.gauges) == {"requests", "c_buffer", "replies", "notifications", "stream"}


def test_subscribe_streams_changes(room_for):
    room = room_for(design="split", client="fast", request_size=6)
    room.buttons["Subscribe"].click()
    assert room.wait_for("COMPLETED") == "COMPLETED"
    assert room.live.result().delivered == 6


def test_reset_returns_to_a_clean_room_with_no_extra_threads(room_for):
    before = set(threading.enumerate())
    room = room_for(design="single")
    trigger(room)
    room.wait_for("DEADLOCK", "SHIM EXITED")
    room.buttons["Reset"].click()
    assert room.banner.value == "READY"
    assert room.seen == ["READY"]
    assert all(g.value == 0 for g in room.gauges.values())
    assert room.replay.value == "" and not room.live.started
    assert [t for t in threading.enumerate() if t not in before] == []


def test_a_bad_knob_shows_its_message_beside_it_and_starts_nothing(room_for):
    before = set(threading.enumerate())
    room = room_for()
    room.knobs["channel_capacity"].value = 0
    assert "channel_capacity must be" in room.errors["channel_capacity"].value
    assert "channel_capacity must be" in room.problem.value   # on the room's tab too
    room.buttons["Send big request"].click()
    assert room.live is None
    assert [t for t in threading.enumerate() if t not in before] == []
    room.knobs["channel_capacity"].value = 4
    assert room.errors["channel_capacity"].value == ""
    room.buttons["Send big request"].click()
    assert room.live.started


def test_after_a_run_a_refused_knob_and_reset_leave_nothing_of_the_old_run(room_for):
    room = room_for(design="single")
    trigger(room)
    assert room.wait_for("SHIM EXITED") == "SHIM EXITED"
    assert room.graph.value
    room.knobs["channel_capacity"].value = 0
    room.buttons["Reset"].click()
    assert room.live is None and "channel_capacity must be" in room.problem.value
    assert room.banner.value == "READY"                  # not the old SHIM EXITED
    assert room.graph.value == "" and room.log.value == "" and room.replay.value == ""
    assert "a knob was refused" in room.clock.value
    assert room.gauges == {}


def test_knobs_apply_on_the_next_run(room_for):
    room = room_for(design="single")
    room.knobs["design"].value = "split"
    trigger(room)
    assert room.live.scenario.design_name == "split"
    assert room.wait_for("COMPLETED", "SHIM EXITED") == "COMPLETED"


def test_what_the_knobs_do_not_show_is_kept_from_the_scenario_given(room_for):
    """The timer and the read interval have no knob: the room runs them as it was given
    them (it once fell back to the live default and said nothing)."""
    room = room_for(runtime="threads", timeout=7.5, read_interval=0.2)
    assert room.live.scenario.shim_timeout == 7.5
    assert room.live.scenario.read_interval == 0.2
    room.knobs["design"].value = "split"
    room.buttons["Reset"].click()
    assert room.live.scenario.design_name == "split" and room.live.scenario.shim_timeout == 7.5
