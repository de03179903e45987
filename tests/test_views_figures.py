"""Figure standards (issue 10), measured on every figure the views draw.

Each figure fits the notebook's width at 1400 px with JupyterLab's file browser open
(tests.views_gallery.NOTEBOOK_WIDTH_PX, checked against the real page by the browser
test), so it is shown at its own size; then its text is at least 10 px tall as shown,
no two tick labels (matplotlib reports their extents) nor two pieces of text overlap,
round things stay round, and graphviz drawings scale to the width with their text still
10 px tall. Every figure has its one-line caption.
"""
import itertools
import json
import re

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Circle
from matplotlib.text import Text

from lessons.views import diagram
from lessons.views.figure import DPI, png, png_width
from tests.views_gallery import (CSS_PX_PER_PT, MIN_TEXT_PX, NOTEBOOK_WIDTH_PX, diagrams,
                                 matplotlib_figures)

FIGURES = ["timeline-deadlock", "timeline-happy", "heat-map", "table-deadlock",
           "table-completed", "fairness-deadlock", "fairness-livelock"]
DIAGRAMS = ["wait-for-deadlock", "wait-for-exited", "wait-for-stall", "architecture",
            "dining-deadlock", "dining-livelock"]


def drawn(name):
    """The figure, drawn on an Agg canvas at the density it is shown at, and its renderer."""
    fig = matplotlib_figures()[name]
    fig.set_dpi(DPI)
    FigureCanvasAgg(fig).draw()
    return fig, fig.canvas.get_renderer()


def texts(fig):
    """Every text a reader sees (the ticks of an axis turned off are not drawn)."""
    hidden = {id(t) for ax in fig.axes if not ax.axison
              for t in ax.get_xticklabels() + ax.get_yticklabels()}
    return [t for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


def overlapping(boxes):
    """Pairs of (label, bbox) whose boxes overlap by more than a pixel each way."""
    return [(a, b) for (a, p), (b, q) in itertools.combinations(boxes, 2)
            if min(p.x1, q.x1) - max(p.x0, q.x0) > 1 and min(p.y1, q.y1) - max(p.y0, q.y0) > 1]


def test_the_gallery_has_every_figure():
    assert sorted(matplotlib_figures()) == sorted(FIGURES)
    assert sorted(diagrams()) == sorted(DIAGRAMS)


@pytest.mark.parametrize("name", FIGURES)
def test_a_figure_fits_the_notebook_and_says_what_it_shows(name):
    fig = matplotlib_figures()[name]
    assert png_width(png(fig, DPI)) <= NOTEBOOK_WIDTH_PX
    assert len(fig.caption) > 20 and fig.caption.endswith(".")


@pytest.mark.parametrize("name", FIGURES)
def test_text_is_at_least_10_px_tall_as_shown(name):
    fig, _ = drawn(name)
    small = {t.get_text(): t.get_fontsize() * DPI / 72 for t in texts(fig)
             if t.get_fontsize() * DPI / 72 < MIN_TEXT_PX}
    assert small == {}


@pytest.mark.parametrize("name", FIGURES)
def test_no_tick_labels_overlap(name):
    fig, renderer = drawn(name)
    for ax in fig.axes:
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels
                     if t.get_visible() and t.get_text()]
            assert overlapping(boxes) == [], f"{name}: overlapping tick labels"


@pytest.mark.parametrize("name", FIGURES)
def test_no_two_texts_overlap(name):
    """Titles, legends, annotations, cell labels: each one readable on its own."""
    fig, renderer = drawn(name)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts(fig)]
    assert overlapping(boxes) == []


@pytest.mark.parametrize("name", ["table-deadlock", "table-completed"])
def test_the_round_table_stays_round(name):
    fig, renderer = drawn(name)
    circles = [p for p in fig.axes[0].patches if isinstance(p, Circle)]
    assert circles
    for c in circles:
        box = c.get_window_extent(renderer)
        assert box.width == pytest.approx(box.height, rel=0.01)


def laid_out(d):
    """dot's layout of a Diagram as JSON (points), and every text box in it, as
    (text, owner, (x0, y0, x1, y1)) in points."""
    layout = json.loads(diagram.to_dot(d).pipe(format="json"))
    found = []
    owners = [("graph", layout)] + [(o.get("name"), o) for o in layout.get("objects", [])]
    owners += [(f"edge{e['_gvid']}", e) for e in layout.get("edges", [])]
    for owner, thing in owners:
        size = 14.0
        for op in thing.get("_ldraw_", []):
            if op["op"] == "F":
                size = op["size"]
            elif op["op"] == "T":
                x, y = op["pt"]
                w = op["width"]
                x0 = {"l": x, "c": x - w / 2, "r": x - w}[op["align"]]
                found.append((op["text"], owner, (x0, y - 0.25 * size, x0 + w, y + 0.8 * size),
                              size))
    return layout, found


@pytest.mark.parametrize("name", DIAGRAMS)
def test_a_drawing_scales_to_the_width_and_its_text_stays_10_px(name):
    d = diagrams()[name]
    svg = diagram.svg(d)
    assert "max-width:100%" in svg and "viewBox" in svg and "aria-label=" in svg
    natural_pt = float(re.search(r'width="([\d.]+)pt"', svg).group(1))
    scale = min(CSS_PX_PER_PT, NOTEBOOK_WIDTH_PX / natural_pt)   # px per pt as shown
    _, found = laid_out(d)
    smallest = min(size for *_, size in found)
    assert smallest * scale >= MIN_TEXT_PX, f"{name}: {smallest} pt at {scale:.2f} px/pt"
    assert d.caption


@pytest.mark.parametrize("name", DIAGRAMS)
def test_no_two_labels_of_a_drawing_overlap(name):
    """E.g. an edge label never sits on the title (the "recv stream" of issue 10)."""
    _, found = laid_out(diagrams()[name])
    clash = [(a, b) for (a, oa, p, _), (b, ob, q, _) in itertools.combinations(found, 2)
             if oa != ob and min(p[2], q[2]) - max(p[0], q[0]) > 1
             and min(p[3], q[3]) - max(p[1], q[1]) > 1]
    assert clash == []


def test_a_request_label_near_the_right_edge_stays_inside_the_timeline():
    # Notebook 03's happy day: the ping at t=2 s is the last event; its label was cut off.
    from lessons import Scenario, run
    from lessons.views.timeline import timeline
    fig = timeline(run(Scenario(design="single", client="slow", requests=["get 32", "ping @ 2"])))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    lanes = fig.axes[0]
    box = lanes.get_window_extent(renderer)
    labels = [t for t in lanes.texts if t.get_text().startswith(("get (", "ping ("))]
    assert labels
    for label in labels:
        extent = label.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, label.get_text()
