"""Stepper: the learner as the scheduler."""
import pytest

from lessons import Scenario, run
from lessons.tools.stepper import BLOCKS, DEADLOCK, MOVES_ON, OVER, Stepper

# A schedule prefix from the story (seed 3): the big request is with the engine.
PREFIX = "E M R C S*2 R S R*2 M/1 M"


@pytest.fixture
def stepper():
    s = Stepper(Scenario(design="single"))
    yield s
    s.close()


def test_at_the_start_every_actor_can_start(stepper):
    choices = stepper.choices()
    assert [c.actor for c in choices] == ["client.send", "client.recv", "shim.requests",
                                          "shim.main", "engine"]
    assert all(c.moves[0].does == "start" and c.reason is None for c in choices)
    assert stepper.schedule == ""


def test_actors_that_cannot_move_say_why():
    with Stepper(Scenario(design="single", schedule=PREFIX)) as s:
        why = {c.actor: c.reason for c in s.choices()}
        assert why["client.send"] == "finished"
        assert why["client.recv"] == "blocked: recv stream (0/2 empty)"
        assert why["shim.main"].startswith("blocked: recv replies (0/1 empty), timer at t=3600")
        assert s.enabled() == ["shim.requests", "engine"]


def test_a_step_reports_its_effect_and_extends_the_schedule(stepper):
    assert stepper.step("engine") == BLOCKS            # started, then waits on an empty c_buffer
    assert stepper.step("client.send") == MOVES_ON     # started; the big request can go
    assert stepper.step("S") == BLOCKS                 # sent; the ping waits: requests is full
    assert stepper.schedule == "E S*2"
    assert "engine" not in stepper.enabled()


def test_a_select_offers_one_move_per_ready_case():
    # Items wait in notifications and the ping waits in handoff: shim.main may take either.
    with Stepper(Scenario(design="single", schedule="E S*2 R*2 S R*2 C M M/1 R M E*6 M")) as s:
        shim_main = next(c for c in s.choices() if c.actor == "shim.main")
        assert shim_main.moves == (("M/0", "recv notifications"), ("M/1", "recv handoff"))
        with pytest.raises(ValueError, match="several moves"):
            s.step("shim.main")
        s.step("M/1")
        assert s.schedule.endswith("M M/1")


def test_driving_the_engine_first_finds_the_deadlock_and_the_exit():
    with Stepper(Scenario(design="single", schedule=PREFIX)) as s:
        effects = []
        while not s.over():
            enabled = s.enabled()
            mover = "engine" if "engine" in enabled else enabled[0]
            move = next(c for c in s.choices() if c.actor == mover).moves[-1].token
            effects.append(s.step(move))
        assert DEADLOCK in effects and effects[-1] == OVER
        assert s.status() == "SHIM EXITED"
        assert s.verdict().kind == "deadlock"
        schedule = s.schedule
    assert run(Scenario(design="single", schedule=schedule)).outcome == "deadlock"


def test_undo_restores_the_previous_state():
    with Stepper(Scenario(design="single", schedule=PREFIX)) as s:
        before = (s.schedule, s.picture(), s.choices())
        s.step("E")
        assert s.schedule != before[0]
        assert s.undo() is True
        assert (s.schedule, s.picture(), s.choices()) == before


def test_undo_at_the_start_does_nothing(stepper):
    assert stepper.undo() is False
    assert stepper.schedule == ""


def test_a_move_not_on_offer_is_refused():
    with Stepper(Scenario(design="single", schedule=PREFIX)) as s:
        with pytest.raises(ValueError, match="cannot move now; moves on offer: R, E"):
            s.step("client.recv")


def test_a_schedule_that_does_not_fit_the_run_is_refused():
    with pytest.raises(ValueError, match="cannot move now"):
        Stepper(Scenario(design="single", schedule="M/7"))


def test_play_stops_where_the_verdict_forms():
    with Stepper(Scenario(design="split", client="stalled")) as s:
        assert s.play() == "STALL"
        assert s.verdict().kind == "stall"
