"""Boxes and arrows, drawn by graphviz's `dot`, or by matplotlib where `dot` is missing.

A `Diagram` says what to draw (nodes in nested groups, labelled edges, colours) plus a
rough position for each node; `dot` ignores the positions and lays the graph out
itself, the matplotlib fallback uses them. So the wait-for graph and the architecture
diagram are written once and drawn either way.

Colour never speaks alone: an edge also has a line style (solid, dashed, dotted) and a
weight, a node a border weight and a shape mark (`marks`, e.g. "diagonals"), and the
words in the labels say the rest. `caption` is the diagram in one plain sentence: shown
under the drawing and read by screen readers.
"""
import html
import shutil
from dataclasses import dataclass, field

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .captioned import with_caption
from .figure import figure
from .palette import TEXT

FONT = "Helvetica,Arial,sans-serif"
NO_DOT = ("graphviz's `dot` was not found: drawing with matplotlib instead "
          "(install graphviz, e.g. `apt-get install graphviz`, for the real layout)")


@dataclass
class Box:
    id: str
    label: str
    group: tuple = ()           # nested group path, e.g. ("single", "shim")
    pos: tuple = (0.0, 0.0)     # for the fallback only
    fill: str = "white"
    color: str = "black"
    shape: str = "box"          # "box" (actors) or "note" (channels)
    bold: bool = False
    marks: str = ""             # extra graphviz style, e.g. "diagonals" (cut corners)


@dataclass
class Arrow:
    tail: str
    head: str
    label: str = ""
    color: str = "black"
    bold: bool = False
    style: str = "solid"        # "solid", "dashed" or "dotted": the non-colour channel
    back: bool = False          # a return flow: dot ranks it head-first, so flows read left to right


@dataclass
class Diagram:
    title: str
    nodes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    groups: dict = field(default_factory=dict)   # group path -> (label, fill colour)
    rankdir: str = "LR"
    caption: str = ""
    # Chains of node ids laid out left to right whatever the edges say (invisible to the
    # reader), so the same actors sit in the same places in every drawing of a story.
    order: list = field(default_factory=list)


def have_dot():
    return shutil.which("dot") is not None


_noticed = []


def notice_once():
    """Say once per session that the fallback is in use (one line, not one per drawing)."""
    if not _noticed:
        _noticed.append(True)
        print(NO_DOT)


class Shown:
    """A diagram as Jupyter shows it: SVG by `dot` that shrinks to the output's width,
    with its caption in words under it.

    (A graphviz.Digraph shows itself at its natural size, so a wide wait-for graph of
    five philosophers would be cut off at the notebook's right edge.)"""

    def __init__(self, diagram, text):
        self.diagram, self.text = diagram, text

    def _repr_svg_(self):
        return self.text

    def _repr_html_(self):
        return with_caption(self.text, self.diagram.caption)


def show(diagram):
    """Something Jupyter displays: an SVG by `dot`, else a matplotlib figure."""
    text = svg(diagram)
    if text is not None:
        return Shown(diagram, text)
    notice_once()
    return to_figure(diagram)


def svg(diagram):
    """The drawing as SVG text (None without `dot`): for an HTML widget that updates."""
    if not have_dot():
        return None
    import graphviz
    try:
        text = to_dot(diagram).pipe(format="svg").decode()
    except graphviz.ExecutableNotFound:
        return None
    # Shrink to fit a narrow output area instead of being cut off (dot gives a viewBox);
    # say what it shows to a screen reader.
    label = html.escape(diagram.caption or diagram.title)
    return text.replace("<svg ", f"<svg role='img' aria-label='{label}' "
                                 "style='max-width:100%;height:auto' ", 1)


def save_png(diagram, path):
    """Write the drawing to `path` as PNG, by `dot` if it can, else by matplotlib."""
    if have_dot():
        import graphviz
        try:
            with open(path, "wb") as f:
                f.write(to_dot(diagram).pipe(format="png"))
            return path
        except graphviz.ExecutableNotFound:
            pass
    notice_once()
    fig = to_figure(diagram)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    return path


# -- graphviz ------------------------------------------------------------------------------
def to_dot(diagram):
    """A graphviz.Digraph of the diagram, groups as nested clusters."""
    import graphviz
    g = graphviz.Digraph(graph_attr={"rankdir": diagram.rankdir, "label": diagram.title,
                                     "labelloc": "t", "fontname": FONT, "fontsize": "14",
                                     "nodesep": "0.3", "ranksep": "0.45"},
                         node_attr={"fontname": FONT, "fontsize": "11"},
                         edge_attr={"fontname": FONT, "fontsize": "10"})
    _add_group(g, diagram, ())
    for chain in diagram.order:
        for tail, head in zip(chain, chain[1:]):
            g.edge(tail, head, style="invis", weight="10")
    for e in diagram.edges:
        ends = (e.head, e.tail, "back") if e.back else (e.tail, e.head, "forward")
        g.edge(ends[0], ends[1], label=e.label, color=e.color, fontcolor=TEXT.get(e.color, e.color),
               dir=ends[2], penwidth="3" if e.bold else "1", style=e.style,
               constraint="false" if diagram.order else "true")
    return g


def _add_group(g, diagram, path):
    for n in diagram.nodes:
        if n.group == path:
            style = ["filled", "rounded" if n.shape == "box" else "", n.marks]
            g.node(n.id, n.label, shape=n.shape, style=",".join(x for x in style if x),
                   fillcolor=n.fill, color=n.color, penwidth="3" if n.bold else "1")
    children = sorted({n.group[:len(path) + 1] for n in diagram.nodes
                       if len(n.group) > len(path) and n.group[:len(path)] == path})
    for child in children:
        label, fill = diagram.groups.get(child, (child[-1], "white"))
        with g.subgraph(name="cluster_" + "_".join(child)) as sub:
            sub.attr(label=label, style="filled,rounded", fillcolor=fill, color="grey60",
                     fontname=FONT, fontsize="12")
            _add_group(sub, diagram, child)


# -- matplotlib fallback -------------------------------------------------------------------
BOX_W, BOX_H = 1.5, 0.5
LINESTYLES = {"solid": "-", "dashed": "--", "dotted": ":"}


def to_figure(diagram):
    """The diagram drawn by matplotlib at each node's `pos` (a rough but honest picture)."""
    xs = [n.pos[0] for n in diagram.nodes]
    ys = [n.pos[1] for n in diagram.nodes]
    width, height = max(xs) - min(xs) + 3, max(ys) - min(ys) + 2.5
    fig = figure((min(9.5, 1.3 * width), min(9, 1.3 * height)), caption=diagram.caption)
    ax = fig.subplots()
    ax.set_title(diagram.title, fontsize=11)
    ax.set_axis_off()
    _draw_groups(ax, diagram)
    _draw_edges(ax, diagram)
    _draw_nodes(ax, diagram)
    ax.set_xlim(min(xs) - 1.5, max(xs) + 1.5)
    ax.set_ylim(min(ys) - 1.0, max(ys) + 1.2)
    fig.tight_layout()
    return fig


def _draw_groups(ax, diagram):
    """Each group as a rounded box around its members, outer groups first."""
    for path, (label, fill) in sorted(diagram.groups.items(), key=lambda kv: len(kv[0])):
        members = [n for n in diagram.nodes if n.group[:len(path)] == path]
        if not members:
            continue
        # Each level of nesting inside this group gets its own margin, so labels never collide.
        pad = 0.2 + 0.3 * (max(len(n.group) for n in members) - len(path))
        x0 = min(n.pos[0] for n in members) - BOX_W / 2 - pad
        x1 = max(n.pos[0] for n in members) + BOX_W / 2 + pad
        y0 = min(n.pos[1] for n in members) - BOX_H / 2 - pad
        y1 = max(n.pos[1] for n in members) + BOX_H / 2 + pad + 0.3
        ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0.02",
                                    fc=fill, ec="grey", lw=0.8, zorder=0))
        ax.text(x0 + 0.1, y1 - 0.08, label, fontsize=8, va="top", color="dimgrey")


def _draw_edges(ax, diagram):
    at = {n.id: n.pos for n in diagram.nodes}
    for e in diagram.edges:
        ax.add_patch(FancyArrowPatch(at[e.tail], at[e.head], arrowstyle="-|>", mutation_scale=14,
                                     connectionstyle="arc3,rad=0.18", color=e.color,
                                     lw=2.5 if e.bold else 1, ls=LINESTYLES[e.style],
                                     shrinkA=22, shrinkB=22, zorder=2))
        (x0, y0), (x1, y1) = at[e.tail], at[e.head]
        ax.text((x0 + x1) / 2 + 0.12 * (y1 - y0), (y0 + y1) / 2 - 0.12 * (x1 - x0), e.label,
                fontsize=8, color=TEXT.get(e.color, e.color), ha="center", va="center",
                zorder=3, bbox=dict(fc="white", ec="none", alpha=0.8, pad=0.5))


def _draw_nodes(ax, diagram):
    for n in diagram.nodes:
        ax.text(*n.pos, n.label, ha="center", va="center", fontsize=8, zorder=4,
                fontweight="bold" if n.bold else "normal",
                bbox=dict(boxstyle="round,pad=0.4" if n.shape == "box" else "square,pad=0.3",
                          fc=n.fill, ec=n.color, lw=2.5 if n.bold else 1,
                          hatch="xx" if "diagonals" in n.marks else None))
