"""Figures that Jupyter shows as pictures, without pyplot.

pyplot keeps global figure managers that only one thread may touch, and a refresher
thread draws too; so views build bare Figures. A bare Figure has no picture of its own
in Jupyter (it prints as `<Figure size ...>`), so ours carry a PNG.
"""
import io

from matplotlib.figure import Figure

DPI = 80


def png(fig):
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


class ShownFigure(Figure):
    """A Figure that Jupyter shows as PNG."""

    def _repr_png_(self):
        return png(self)


def figure(size):
    """A figure to draw on: `left, right = figure((9, 3)).subplots(1, 2)`."""
    return ShownFigure(figsize=size)
