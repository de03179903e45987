"""Drawings: the wait-for graph (with and without dot), architecture, timeline, heat map."""
import json
import os
import subprocess
import sys

import pytest

from lessons import Scenario, run
from lessons.tools.stepper import Stepper
from lessons.tools.sweep import sweep
from lessons.views import diagram
from lessons.views.architecture import architecture_diagram
from lessons.views.heatmap import heat_map
from lessons.views.timeline import timeline
from lessons.views.palette import CHAIN, CYCLE, SEND_HATCH, STUCK_FILL
from lessons.views.waitgraph import diagram_of


def edges_by_color(d):
    return {(e.tail, e.head, e.label): (e.color, e.style) for e in d.edges}


def test_a_deadlock_is_a_red_loop_inside_the_system():
    with Stepper(Scenario(design="single")) as s:
        assert s.play() == "DEADLOCK"
        d = diagram_of(s)
    red = {k for k, (color, _) in edges_by_color(d).items() if color == CYCLE}
    assert red == {("shim.main", "engine", "recv replies"),
                   ("engine", "shim.main", "send notifications")}
    groups = {n.id: n.group for n in d.nodes}
    assert groups["client.recv"] == ("outside",) and groups["engine"][0] == "system"
    assert {n.id for n in d.nodes if n.fill == STUCK_FILL} >= {"shim.main", "engine"}
    assert all("STUCK" in n.label for n in d.nodes if n.id in ("shim.main", "engine"))
    assert "DEADLOCK" in d.title and d.caption.startswith("At t=")


def test_the_outside_box_is_always_on_the_left():
    """The same actors sit in the same places: the client's box left of the system, for
    a deadlock and for a stall alike (dot lays out; the order chains pin the columns)."""
    for knobs in (dict(design="single"), dict(design="split", client="stalled")):
        with Stepper(Scenario(**knobs)) as s:
            s.play()
            layout = json.loads(diagram.to_dot(diagram_of(s)).pipe(format="json"))
        x = {o["name"]: float(o["pos"].split(",")[0]) for o in layout["objects"]
             if "pos" in o and "nodes" not in o}
        assert max(x["client.send"], x["client.recv"]) < min(x["shim.main"], x["engine"])


def test_a_stall_is_a_chain_that_leaves_the_system():
    with Stepper(Scenario(design="split", client="stalled")) as s:
        assert s.play() == "STALL"
        d = diagram_of(s)
    orange = [k for k, (color, style) in edges_by_color(d).items()
              if color == CHAIN and style == "dashed"]
    assert orange and orange[-1][1] == "client.recv"
    assert "STALL" in d.title


def test_after_the_exit_the_loop_stays_drawn_dotted():
    with Stepper(Scenario(design="single")) as s:
        s.play()
        while not s.over():
            s.step(s.enabled()[0] if len(s.enabled()) == 1 else "shim.main")
        d = diagram_of(s)
    assert s.status() == "SHIM EXITED" or "SHIM EXITED" in d.title
    assert any(style == "dotted" for _, style in edges_by_color(d).values())
    assert "formed at t=0.000 s" in d.title


def test_dot_renders_svg_and_png(tmp_path):
    d = architecture_diagram()
    assert "<svg" in diagram.svg(d)
    path = diagram.save_png(d, tmp_path / "arch.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow   # draws every figure twice
def test_without_dot_the_fallback_draws_and_says_so_once(tmp_path):
    """Run in a child process whose PATH has no `dot`, as on a machine without graphviz."""
    script = f"""
import sys

import pytest
from lessons import Scenario
from lessons.tools.stepper import Stepper
from lessons.views import diagram, wait_for_graph, architecture
from lessons.views.palette import CHAIN, CYCLE, SEND_HATCH, STUCK_FILL
from lessons.views.waitgraph import diagram_of
from matplotlib.figure import Figure
assert not diagram.have_dot()
with Stepper(Scenario(design="single")) as s:
    s.play()
    shown = wait_for_graph(s)
    assert isinstance(shown, Figure)
    assert diagram.svg(diagram_of(s)) is None
    diagram.save_png(diagram_of(s), {str(tmp_path / 'wf.png')!r})
assert isinstance(architecture(), Figure)
"""
    env = {**os.environ, "PATH": os.path.dirname(sys.executable)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert done.returncode == 0, done.stderr
    notices = [line for line in done.stdout.splitlines() if "dot" in line]
    assert len(notices) == 1 and "matplotlib" in notices[0]
    assert (tmp_path / "wf.png").read_bytes()[:4] == b"\x89PNG"


def test_architecture_marks_who_calls_the_engine():
    d = architecture_diagram()
    bold = {n.id for n in d.nodes if n.bold}
    assert bold == {"single/shim.main", "split/shim.requests"}
    assert "single/handoff" in {n.id for n in d.nodes}
    assert "split/handoff" not in {n.id for n in d.nodes}


def test_the_architecture_title_names_the_designs_in_the_order_they_are_drawn():
    # Issue 21: the title said "single ... and split" above a drawing with split on top.
    import re
    d = architecture_diagram()
    drawn = diagram.svg(d)
    tops = {name: float(y) for y, name in
            re.findall(r'<text[^>]*y="([-\d.]+)"[^>]*>(single|split) design:', drawn)}
    top_down = sorted(tops, key=tops.get)               # svg y grows downwards
    named = re.findall(r"\b(single|split) \(", d.title)
    assert named == top_down, (d.title, tops)


def test_timeline_has_a_lane_per_actor_and_marks_the_deadlock_and_exit():
    fig = timeline(run(Scenario(seed=3)))
    lanes, depths = fig.axes[:2]
    assert [t.get_text() for t in lanes.get_yticklabels()] == [
        "client.send", "client.recv", "shim.requests", "shim.main", "engine"]
    texts = " ".join(t.get_text() for t in lanes.texts)
    assert "deadlock forms" in texts and "shim exits" in texts
    assert "3,600 s" in " ".join(t.get_text() for t in depths.texts)   # the hour, cut out
    assert len(depths.get_lines()) >= 6
    assert fig.caption.startswith("single design, slow client: deadlock formed at t=0 s")


def test_timeline_axis_is_in_seconds_so_a_late_ping_shows_its_time():
    fig = timeline(run(Scenario(design="single", client="slow",
                                requests=["get 32", "ping @ 2"])))
    lanes, depths = fig.axes[:2]
    assert depths.get_xlabel().startswith("time (s)")
    assert "2 s" in [t.get_text() for t in depths.get_xticklabels()]
    assert "ping (t=2 s)" in [t.get_text() for t in lanes.texts]


def test_timeline_lanes_say_send_or_receive_by_pattern():
    fig = timeline(run(Scenario(seed=3)))
    bars = [c for c in fig.axes[0].collections if len(c.get_paths())]
    hatched = {c.get_hatch() for c in bars}
    assert SEND_HATCH in hatched and None in hatched
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[:2] == ["hatched: waits to SEND (buffer full)",
                          "plain: waits to RECEIVE (no work)"]


def test_heat_map_one_panel_per_design():
    result = sweep(capacities=(1, 8), sizes=(4, 32), seeds=range(2))
    fig = heat_map(result)
    titles = [ax.get_title() for ax in fig.axes[:2]]
    assert titles == ["single: a bigger buffer only moves the line",
                      "split: no deadlock anywhere"]


def test_heat_map_shares_stay_inside_their_cells_at_notebook_width():
    """Notebook 06's grid: each printed share's extent lies inside its own cell, so that
    no label reads as its neighbour's, and the text stays at a readable size."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from lessons.views.figure import MIN_FONT_PT
    fig = heat_map(sweep(seeds=range(1)))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    for ax in fig.axes[:2]:
        labels = [t for t in ax.texts if t.get_text().endswith("%")]
        assert len(labels) == 48
        for text in labels:
            assert text.get_fontsize() >= MIN_FONT_PT
            col, row = text.get_position()
            (x0, y0), (x1, y1) = ax.transData.transform([(col - 0.5, row - 0.5), (col + 0.5, row + 0.5)])
            extent = text.get_window_extent(renderer)
            assert x0 < extent.x0 and extent.x1 < x1 and y0 < extent.y0 and extent.y1 < y1, (
                text.get_text(), extent, (x0, x1))
