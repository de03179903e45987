"""State spaces side by side: what `Exploration.graph()` draws, in boxes the notebook holds.

    state_space(explore(tiny), explore(tiny.with_(design="split")))

A state space is drawn at its natural size (node labels stay readable) inside a box that
scrolls, at most MAX_HEIGHT tall, its width shared out by how wide each drawing is; a
wide space would otherwise shrink to unreadable dots or run off the right edge. dot puts
the start at the top right of a wide tree, so each box opens scrolled to its top right
(a right-to-left box holding a left-to-right drawing). Under each box, one line says in
words what it shows. Without graphviz's `dot`, the line alone is
shown, after the course's one-line notice.
"""
import html
import re

from IPython.display import HTML

from .diagram import have_dot, notice_once

MAX_HEIGHT = 560   # px: about two thirds of a laptop screen
MIN_WIDTH = 320    # px: a narrow drawing keeps room for its title and statement


def statement(found):
    """What a drawn search shows, in one sentence."""
    if found.verdict == "deadlock":
        return (f"{found.states} states; a deadlock (red octagon) is reached, the shortest "
                f"way in {len(found.schedule_tokens())} moves (blue, dashed): {found.schedule}")
    if found.verdict == "no-deadlock":
        return (f"{found.states} states explored and none deadlocks: every run of this "
                "configuration ends served (green double circle)")
    return f"{found.states} states before a bound ({found.bound}): this proves nothing"


def drawn(found):
    """(the SVG of the state space without its title, the title's counts as text): the
    counts go under the box, so a narrow space stays narrow."""
    graph = found.graph()
    counts = graph.graph_attr.pop("label", "").replace("\n", "; ")
    return (graph.pipe(format="svg").decode() if have_dot() else ""), counts


def state_space(*explorations, titles=()):
    """Each exploration's state space with its statement, side by side."""
    titles = list(titles) + [""] * (len(explorations) - len(titles))
    if not have_dot():
        notice_once()
    boxes = []
    for found, title in zip(explorations, titles):
        drawing, counts = drawn(found)
        drawing = drawing[drawing.find("<svg"):].replace(   # JupyterLab caps an svg at 100%
            "<svg", '<svg style="direction:ltr; max-width:none"', 1)
        width = re.search(r'width="([\d.]+)pt"', drawing)
        natural = round(float(width.group(1)) * 4 / 3) if width else MIN_WIDTH   # pt -> px
        boxes.append(
            f'<figure style="flex:0 1 {natural}px; min-width:{MIN_WIDTH}px; margin:0">'
            f'<div style="font-weight:bold; margin-bottom:4px">{html.escape(title)}</div>'
            f'<div style="max-height:{MAX_HEIGHT}px; overflow:auto; direction:rtl; '
            f'text-align:center; border:1px solid #bbb">{drawing}</div>'
            f'<figcaption style="margin-top:4px">{html.escape(statement(found))}'
            f'<div style="font-size:90%; color:#444">{html.escape(counts)}</div></figcaption>'
            f'</figure>')
    return HTML('<div style="display:flex; gap:12px; align-items:flex-start">'
                + "".join(boxes) + "</div>")
