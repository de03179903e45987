"""The state-space view: both searches drawn side by side, each with its verdict in words."""
from lessons import Scenario, explore
from lessons.explore.graph import DEADLOCK
from lessons.views import diagram
from lessons.views.state_space import state_space

TINY = Scenario(design="single", client="fast", channel_capacity=1, stream_window=1,
                requests=["get 2", "ping"])


def test_the_incident_and_the_fix_side_by_side_with_their_verdicts_in_words():
    single, split = explore(TINY), explore(TINY.with_(design="split"))
    page = state_space(single, split, titles=["single", "split"]).data
    assert page.count("<svg") == 2
    left, right = page.split("<svg")[1:]
    assert DEADLOCK["fillcolor"] in left and DEADLOCK["fillcolor"] not in right
    assert f"the shortest way in {len(single.schedule_tokens())} moves" in page
    assert "none deadlocks" in page
    assert "the reduction skipped" in page   # the search's counts, under each box


def test_without_dot_it_says_so_once_and_still_gives_the_verdicts(monkeypatch, capsys):
    monkeypatch.setattr(diagram, "_noticed", [])
    monkeypatch.setattr("lessons.views.state_space.have_dot", lambda: False)
    page = state_space(explore(TINY)).data
    assert "<svg" not in page and "a deadlock (red octagon) is reached" in page
    assert capsys.readouterr().out.strip() == diagram.NO_DOT
