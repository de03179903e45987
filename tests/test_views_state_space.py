"""The state-space view: both searches drawn side by side, each with its verdict in words."""
import html
import re

from lessons import Scenario, explore
from lessons.explore import graph as drawing
from lessons.explore.graph import DEADLOCK
from lessons.views import diagram, palette
from lessons.views.state_space import state_space

TINY = Scenario(design="single", client="fast", channel_capacity=1, stream_window=1,
                requests=["get 2", "ping"])


def test_the_incident_and_the_fix_side_by_side_with_their_verdicts_in_words():
    single, split = explore(TINY), explore(TINY.with_(design="split"))
    page = state_space(single, split, titles=["single", "split"]).data
    assert page.count("<svg") == 3       # the deadlock's path, its whole space, the fix's
    left, right = page.split("</figure>")[:2]
    fill = DEADLOCK["fillcolor"].lower()
    assert fill in left.lower() and fill not in right.lower()
    assert f"the shortest way in {len(single.schedule_tokens())} moves" in page
    assert "none deadlocks" in page
    assert "the reduction skipped" in page   # the search's counts, under each box


def test_without_dot_it_says_so_once_and_still_gives_the_verdicts(monkeypatch, capsys):
    monkeypatch.setattr(diagram, "_noticed", [])
    monkeypatch.setattr("lessons.views.state_space.have_dot", lambda: False)
    page = state_space(explore(TINY)).data
    assert "<svg" not in page and "a deadlock (vermilion octagon) is reached" in page
    assert capsys.readouterr().out.strip() == diagram.NO_DOT


def node_labels(svg):
    """The text of each state drawn in an SVG, one string per state."""
    nodes = re.findall(r'<g id="node\d+" class="node">(.*?)</g>', svg, re.S)
    return [" ".join(html.unescape(t) for t in re.findall(r">([^<]+)</text>", n)) for n in nodes]


def test_a_deadlock_opens_on_its_shortest_path_and_the_rest_is_one_click_away():
    single = explore(TINY)
    page = state_space(single).data
    opened, hidden = page.split("<details", 1)
    path = opened[opened.index("<svg"):]
    moves = len(single.schedule_tokens())
    assert len(node_labels(path)) == moves + 1               # the path's states, no others
    assert DEADLOCK["fillcolor"].lower() in path.lower()    # ... ending in the deadlock
    assert "every state the search reached: click to show" in hidden
    assert len(node_labels(hidden[hidden.index("<svg"):])) >= single.states


def test_states_are_told_apart_by_their_labels():
    page = state_space(explore(TINY)).data
    for svg in page.split("<svg")[1:]:
        labels = node_labels(svg)
        assert len(labels) == len(set(labels)), "two states carry the same label"


def test_every_mark_drawn_has_a_line_in_the_legend():
    page = state_space(explore(TINY), explore(TINY.with_(design="split"))).data
    legend = page[page.index("How to read these drawings"):]
    for mark in ("thick black circle", "octagon", "double circle", "dotted circle",
                 "no arrow out", "dashed blue arrows"):
        assert mark in legend, mark


def test_the_state_space_draws_in_the_palettes_colours():
    colours = {value.upper() for name, value in vars(palette).items()
               if isinstance(value, str) and value.startswith("#")}
    assert {c.upper() for c in drawing.COLOURS} <= colours
    looks = (drawing.DEADLOCK, drawing.FINAL, drawing.START, drawing.SHORTEST)
    for look in looks:
        for key in ("color", "fillcolor"):
            if look.get(key, "white") != "white":
                assert look[key] in drawing.COLOURS, (key, look)
