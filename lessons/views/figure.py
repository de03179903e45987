"""Figures that Jupyter shows as pictures, without pyplot.

pyplot keeps global figure managers that only one thread may touch, and a refresher
thread draws too; so views build bare Figures. A bare Figure has no picture of its own
in Jupyter (it prints as `<Figure size ...>`), so ours carry one: a PNG drawn at twice
the density it is shown at (sharp on any screen), with its caption, the figure's one
plain sentence, under it and as the image's alt text.

Sizes: DPI CSS pixels per inch, and no figure wider than MAX_WIDTH_IN, so a figure fits
the notebook's width at 1400 px with JupyterLab's file browser open (about 1000 px)
without being shrunk; the smallest text is MIN_FONT_PT, over 10 px tall as shown.
"""
import io
import struct

import matplotlib
from matplotlib.figure import Figure

from .captioned import img_html, with_caption

DPI = 100
DENSITY = 2
MAX_WIDTH_IN = 9.5
MIN_FONT_PT = 8


def png(fig, dpi=DPI):
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def svg(fig):
    """The figure as SVG text that scales to its container and keeps its aspect."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):   # text stays text: small, sharp
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):].replace(
        "<svg ", "<svg style='max-width:100%;height:auto' role='img' ", 1)


def png_width(data):
    """The width in pixels written in a PNG's header."""
    return struct.unpack(">I", data[16:20])[0]


class ShownFigure(Figure):
    """A Figure that Jupyter shows as a sharp PNG with its caption."""

    caption = ""

    def _repr_png_(self):
        return png(self)

    def _repr_html_(self):
        data = png(self, DPI * DENSITY)
        alt = self.caption or (self._suptitle.get_text() if self._suptitle else "a figure")
        return with_caption(img_html(data, png_width(data) // DENSITY, alt), self.caption)


def figure(size, caption=""):
    """A figure to draw on: `left, right = figure((9, 3)).subplots(1, 2)`.

    `caption`: what the figure shows, in one sentence (said under it)."""
    if size[0] > MAX_WIDTH_IN:
        raise ValueError(f"figure width must be at most {MAX_WIDTH_IN} in (it was {size[0]})")
    fig = ShownFigure(figsize=size)
    fig.caption = caption
    return fig
