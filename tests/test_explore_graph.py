"""Exploration.graph(): the explored state space drawn, deadlocks marked, the shortest
schedule picked out, what the reduction skipped counted; refused when too big to read."""
import pytest

from lessons import Scenario, explore
from lessons.explore import graph

TINY = Scenario(design="single", client="fast", channel_capacity=1, stream_window=1,
                requests=["get 2", "ping"])


def test_the_single_design_drawn_shows_its_shortest_deadlock():
    found = explore(TINY)
    g = found.graph()
    nodes = [line for line in g.body if "->" not in line]
    moves = [line for line in g.body if "->" in line]
    assert len(nodes) == found.states + 1              # and the one deadlock state
    assert len(moves) == found.transitions
    deadlocks = [line for line in nodes if "octagon" in line]
    assert len(deadlocks) == 1 and graph.DEADLOCK["fillcolor"] in deadlocks[0]
    shortest = [line for line in moves if "dashed" in line]
    assert len(shortest) == len(found.schedule_tokens())
    assert all(graph.SHORTEST["color"] in line for line in shortest)
    assert "reduction skipped" in g.graph_attr["label"]


def test_the_split_design_drawn_has_no_deadlock_and_says_what_was_skipped():
    found = explore(TINY.with_(design="split"))
    every = explore(TINY.with_(design="split"), reduce=False)
    g = found.graph()
    assert not any("octagon" in line or "dashed" in line for line in g.body)
    assert any("doublecircle" in line for line in g.body)   # every request served
    assert (f"skipped {every.states - found.states} states"
            in g.graph_attr["label"])


def test_a_space_too_big_to_read_is_refused(monkeypatch):
    monkeypatch.setattr(graph, "MAX_DRAWN_STATES", 10)
    with pytest.raises(ValueError, match="at most 10 states"):
        explore(TINY).graph()
