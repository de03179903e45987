"""Pages drawn with matplotlib, written as one PDF: text blocks, tables and the course's
own drawings (the wait-for graph and the architecture, by graphviz's `dot` where it is
installed, else by the course's matplotlib fallback). Nothing is fetched: it builds
offline from the repository."""
import io
import textwrap

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.image import imread

from lessons.views import diagram as diagrams
from lessons.views.palette import BLACK as TEXT

matplotlib.rcParams["pdf.fonttype"] = 42     # text stays text in the PDF: searchable, sharp
CREDIT = ("Deadlock in the Wild · course text and figures CC BY 4.0, code MIT\n"
          "retells \"Deadlock in the wild\" by Connor Stein (6 January 2018), "
          "https://connorwstein.github.io/Deadlock")


class Page:
    """One page; `y` runs from the top (1) down, in figure fractions."""

    def __init__(self, size, margin=0.06):
        self.fig = Figure(figsize=size)
        self.margin, self.y = margin, 1 - margin
        self.width_in = size[0]

    def text(self, words, size=10, weight="normal", gap=0.012, chars=None, family="sans-serif"):
        """A paragraph, wrapped to the page's width (or `chars` a line), placed below the last."""
        chars = chars or int((self.width_in * (1 - 2 * self.margin)) * 72 / (size * 0.55))
        lines = [line for part in words.split("\n") for line in (textwrap.wrap(part, chars) or [""])]
        self.fig.text(self.margin, self.y, "\n".join(lines), size=size, weight=weight,
                      va="top", ha="left", color=TEXT, family=family, linespacing=1.35)
        self.y -= len(lines) * size * 1.35 / 72 / self.fig.get_figheight() + gap

    def picture(self, image, height):
        """An image (an array) centred, `height` a fraction of the page tall."""
        h, w = image.shape[:2]
        page_w, page_h = self.fig.get_size_inches()
        width = min(1 - 2 * self.margin, height * page_h * w / h / page_w)
        ax = self.fig.add_axes([(1 - width) / 2, self.y - height, width, height])
        ax.imshow(image)
        ax.axis("off")
        self.y -= height + 0.015

    def foot(self, words):
        self.fig.text(0.5, self.margin / 2, words, size=7, ha="center", va="center",
                      color=TEXT, linespacing=1.4)


def drawing(diagram, dpi=200):
    """The course's drawing as an image array: graphviz's PNG at print density, or the
    matplotlib fallback where `dot` is missing (it says so once)."""
    if diagrams.have_dot():
        dot = diagrams.to_dot(diagram)
        dot.graph_attr["dpi"] = str(dpi)
        return imread(io.BytesIO(dot.pipe(format="png")))
    diagrams.notice_once()
    return figure_image(diagrams.to_figure(diagram), dpi)


def write_pdf(path, pages):
    path.parent.mkdir(parents=True, exist_ok=True)
    with PdfPages(path) as pdf:
        for page in pages:
            pdf.savefig(page.fig)
    return path


def figure_image(fig, dpi=150):
    """A matplotlib figure of the course as an image array."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    buffer.seek(0)
    return imread(buffer)
