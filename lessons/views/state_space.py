"""State spaces side by side: what `Exploration.graph()` draws, in boxes the notebook holds.

    state_space(explore(tiny), explore(tiny.with_(design="split")))

A search that found a deadlock opens on what matters: the shortest way to it, drawn
alone (a column of states a reader follows from top to bottom without scrolling), with
every state the search reached one click away, under a <details> that opens in the same
box. A search without a deadlock shows its whole space, which is the point there. Each
drawing keeps its natural size (node labels stay readable) inside a box that scrolls, at
most MAX_HEIGHT tall. Under each box, one line says in words what it shows; under all of
them, a legend says what every mark means. Without graphviz's `dot`, the words alone are
shown, after the course's one-line notice.
"""
import html
import re

from IPython.display import HTML

from lessons.explore.graph import MARKS

from .diagram import have_dot, notice_once

MAX_HEIGHT = 640   # px: about two thirds of a laptop screen
MIN_WIDTH = 320    # px: a narrow drawing keeps room for its title and statement


def statement(found):
    """What a drawn search shows, in one sentence."""
    if found.verdict == "deadlock":
        return (f"{found.states} states; a deadlock (vermilion octagon) is reached, the "
                f"shortest way in {len(found.schedule_tokens())} moves (blue, dashed): "
                f"{found.schedule}")
    if found.verdict == "no-deadlock":
        return (f"{found.states} states explored and none deadlocks: every run of this "
                "configuration ends served (bluish-green double circle)")
    return f"{found.states} states before a bound ({found.bound}): this proves nothing"


def drawn(found, path_only=False):
    """(the SVG of the state space without its title, the title's counts as text): the
    counts go under the box, so a narrow space stays narrow."""
    graph = found.graph(path_only=path_only)
    counts = graph.graph_attr.pop("label", "").replace("\n", "; ")
    if not have_dot():
        return "", counts
    svg = graph.pipe(format="svg").decode()
    return svg[svg.find("<svg"):].replace(   # JupyterLab caps an svg at 100%
        "<svg", '<svg style="direction:ltr; max-width:none"', 1), counts


def natural_width(svg):
    width = re.search(r'width="([\d.]+)pt"', svg)
    return round(float(width.group(1)) * 4 / 3) if width else MIN_WIDTH   # pt -> px


def scrolling(svg):
    """A box that scrolls, opened at its top right: dot puts the start of a wide tree
    there (a right-to-left box holding a left-to-right drawing)."""
    return (f'<div style="max-height:{MAX_HEIGHT}px; overflow:auto; direction:rtl; '
            f'text-align:center; border:1px solid #bbb">{svg}</div>')


def box(found, title):
    """One search: its drawing (the path first, when there is a deadlock), its words."""
    if found.verdict == "deadlock":
        path, counts = drawn(found, path_only=True)
        whole, _ = drawn(found)
        shown = (scrolling(path)
                 + '<details style="margin-top:4px"><summary>every state the search '
                   f'reached: click to show</summary>{scrolling(whole)}</details>')
        width = natural_width(path)
    else:
        whole, counts = drawn(found)
        shown, width = scrolling(whole), natural_width(whole)
    return (f'<figure style="flex:0 1 {max(width, MIN_WIDTH)}px; min-width:{MIN_WIDTH}px; '
            f'margin:0"><div style="font-weight:bold; margin-bottom:4px">{html.escape(title)}'
            f'</div>{shown if have_dot() else ""}'
            f'<figcaption style="margin-top:4px">{html.escape(statement(found))}'
            f'<div style="font-size:90%; color:#444">{html.escape(counts)}</div></figcaption>'
            '</figure>')


def legend():
    """What every mark of a state-space drawing means, in words."""
    items = "".join(f"<li><b>{html.escape(mark)}</b>: {html.escape(means)}</li>"
                    for mark, means in MARKS)
    return (f'<div style="margin-top:8px"><b>How to read these drawings</b>'
            f'<ul style="margin:2px 0">{items}</ul></div>')


def state_space(*explorations, titles=()):
    """Each exploration's state space with its statement, side by side, and a legend."""
    titles = list(titles) + [""] * (len(explorations) - len(titles))
    if not have_dot():
        notice_once()
    boxes = "".join(box(found, title) for found, title in zip(explorations, titles))
    return HTML('<div style="display:flex; gap:12px; align-items:flex-start">'
                + boxes + "</div>" + legend())
