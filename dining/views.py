"""Views of the table: the round table, the fairness chart, the wait-for graph, widgets.

    draw_table(result)          the round table: states, who holds each fork, the cycle
    fairness_chart(result)      meals per philosopher
    figure(size)                a figure to put several of them side by side
    wait_for_graph(session)     the shared wait-for graph drawing (lessons.views)
    TableView()                 Start, Step, Reset and a strategy chooser (ipywidgets)

Only this module imports matplotlib and ipywidgets. Drawings take a Result (dining.run's,
or a Session's so far), so they draw a finished run and a live one alike.

Who writes the widgets: while Start runs the table, a worker thread makes the moves and
never touches a widget; one refresher thread paints, a few times a second, inside
`hold_sync()`. Step and Reset run on the kernel's thread and paint only while no
refresher runs. Reset (and close) end every thread.
"""
import contextlib
import html
import math
import threading

import ipywidgets as w
from matplotlib.patches import Circle, FancyArrowPatch, Patch

from lessons.views import wait_for_graph
from lessons.views.diagram import svg
from lessons.views.figure import figure, png
from lessons.views.waitgraph import diagram_of

from .knobs import KNOBS
from .picture import banner
from .session import Session

STATE_COLORS = {"thinking": "#9ecae1", "hungry": "#fdae6b", "eating": "#74c476",
                "done": "#d9d9d9"}
CYCLE_COLOR = "#d62728"
BANNER_COLORS = {"RUNNING": "#1f77b4", "COMPLETED": "#2ca02c", "DEADLOCK": "#d62728",
                 "LIVELOCK": "#9467bd"}
REFRESH_SECONDS = 0.25
MOVE_SECONDS = 0.05     # Start: the pause between moves, so the eye can follow

__all__ = ["draw_table", "fairness_chart", "figure", "wait_for_graph", "TableView"]


def seat(i, n, radius=1.0):
    """Where philosopher i (or, at i + 0.5, fork i) sits; p0 at the top, clockwise."""
    angle = math.pi / 2 - 2 * math.pi * i / n
    return radius * math.cos(angle), radius * math.sin(angle)


def draw_table(result, ax=None):
    """The round table of `result`: a Figure (or draws on `ax`)."""
    fig, ax = _canvas(ax, (6, 6))
    names = list(result.meals)
    n = len(names)
    ax.add_patch(Circle((0, 0), 0.62, color="#f5efe6", zorder=0))
    for i, name in enumerate(names):
        x, y = seat(i, n)
        stuck = name in result.stuck
        ax.add_patch(Circle((x, y), 0.2, facecolor=STATE_COLORS[result.states[name]],
                            edgecolor=CYCLE_COLOR if stuck else "black",
                            linewidth=3 if stuck else 1, zorder=2))
        ax.text(x, y, f"{name}\n{result.meals[name]}/{result.dinner.meals}", ha="center",
                va="center", fontsize=10, zorder=3)
    for k, (fork, holder) in enumerate(result.holders.items()):
        # A free fork lies on the table between its two philosophers; a held one moves
        # next to its holder.
        x, y = seat(k + 0.5, n, 0.62)
        if holder is not None:
            hx, hy = seat(names.index(holder), n)
            x, y = (x + hx) / 2, (y + hy) / 2
        ax.plot([x * 0.92, x * 1.08], [y * 0.92, y * 1.08], color="black" if holder else
                "#888888", linewidth=3, solid_capstyle="round", zorder=1)
        ax.text(x * 0.8, y * 0.8, fork, ha="center", va="center", fontsize=10, color="#555555")
    for e in result.cycle:   # waiter -> holder, through the fork he waits for
        arrow = FancyArrowPatch(seat(names.index(e.actor), n, 0.8),
                                seat(names.index(e.waits_for), n, 0.8),
                                connectionstyle="arc3,rad=-0.3", arrowstyle="-|>",
                                mutation_scale=14, color=CYCLE_COLOR, linewidth=2, zorder=4)
        arrow.set_gid("cycle")
        ax.add_patch(arrow)
    ax.set_title(f"{result.dinner.strategy}: {result.outcome.upper()}", fontsize=12)
    ax.legend(handles=[Patch(color=c, label=s) for s, c in STATE_COLORS.items()],
              loc="lower center", ncol=4, fontsize=9, frameon=False,
              bbox_to_anchor=(0.5, -0.08))
    ax.set_xlim(-1.35, 1.35)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def fairness_chart(result, ax=None):
    """Meals per philosopher, with the meals each was to eat as a dashed line."""
    fig, ax = _canvas(ax, (4.6, 2.4))
    names = list(result.meals)
    ax.bar(names, [result.meals[n] for n in names],
           color=[STATE_COLORS[result.states[n]] for n in names], edgecolor="black")
    ax.axhline(result.dinner.meals, color="#555555", linestyle="--", linewidth=1)
    ax.set_ylim(0, result.dinner.meals + 0.5)
    ax.set_ylabel("meals")
    ax.set_title(f"{result.dinner.strategy}: meals per philosopher", fontsize=10)
    return fig


def _canvas(ax, size):
    if ax is not None:
        return ax.figure, ax
    fig = figure(size)
    return fig, fig.add_subplot()


class TableView:
    """Widgets over a Session: Start, Step, Reset, and knobs that apply on Reset."""

    def __init__(self, philosophers=5, strategy="naive", meals=3, seed=0,
                 refresh_seconds=REFRESH_SECONDS, move_seconds=MOVE_SECONDS):
        self.refresh_seconds, self.move_seconds = refresh_seconds, move_seconds
        self.session = None
        self._worker = self._refresher = None
        self._halt = threading.Event()       # set: the worker and refresher end
        self._paint_lock = threading.Lock()   # one painter at a time
        self.strategy = w.Dropdown(options=KNOBS["strategy"].choices, value=strategy,
                                   description="strategy")
        self.philosophers = w.BoundedIntText(value=philosophers, min=2, max=12,
                                             description="philosophers")
        self.seed = w.BoundedIntText(value=seed, min=0, max=2**32 - 1, description="seed")
        self.meals = meals
        self.buttons = {label: w.Button(description=label) for label in ("Start", "Step", "Reset")}
        self.buttons["Start"].on_click(lambda _: self.start())
        self.buttons["Step"].on_click(lambda _: self.step())
        self.buttons["Reset"].on_click(lambda _: self.reset())
        self.buttons["Reset"].button_style = "warning"
        self.banner = w.Label(style={"font_size": "18px", "font_weight": "bold",
                                     "text_color": "white"}, layout=w.Layout(padding="2px 10px"))
        self.table_image = w.Image(format="png")
        self.chart_image = w.Image(format="png")
        self.graph = w.HTML()
        self.text = w.HTML()
        self.widget = w.VBox([
            w.HBox([self.strategy, self.philosophers, self.seed]),
            w.HBox([*self.buttons.values(), self.banner]),
            w.HBox([self.table_image, w.VBox([self.chart_image, self.graph])]),
            self.text])
        self.reset()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- what the buttons do ------------------------------------------------------------
    def step(self):
        """One move (ignored while Start runs the table)."""
        if self.running():
            return
        self.session.step()
        self._paint_if_idle()

    def start(self):
        """Run the table to the end, a move every move_seconds, painting as it goes."""
        if self.running() or self.session.over():
            return
        self._halt.clear()
        self._worker = threading.Thread(target=self._run_moves, name="dining:moves", daemon=True)
        self._refresher = threading.Thread(target=self._refresh_loop, name="dining:refresher",
                                           daemon=True)
        self._worker.start()
        self._refresher.start()

    def reset(self):
        """End every thread, seat a new table with the knobs as they are now."""
        self._stop_threads()
        if self.session is not None:
            self.session.close()
        self.session = Session(self.philosophers.value, self.strategy.value, self.meals,
                               self.seed.value)
        self._paint_if_idle()

    def close(self):
        self._stop_threads()
        self.session.close()

    def running(self):
        return self._worker is not None and self._worker.is_alive()

    def wait(self, max_seconds=60.0):
        """Wait until Start's run is over and painted; True if it is."""
        for thread in (self._worker, self._refresher):
            if thread is not None:
                thread.join(max_seconds)
        return not self.running()

    # -- threads ----------------------------------------------------------------------------
    def _run_moves(self):
        while not self._halt.is_set() and self.session.step():
            self._halt.wait(self.move_seconds)

    def _refresh_loop(self):
        while self._worker.is_alive() and not self._halt.is_set():
            self._paint()
            self._halt.wait(self.refresh_seconds)
        if not self._halt.is_set():
            self._paint()    # the final state, once the worker is done

    def _stop_threads(self):
        self._halt.set()
        for thread in (self._worker, self._refresher):
            if thread is not None:
                thread.join()
        self._worker = self._refresher = None

    # -- painting ---------------------------------------------------------------------------
    def _paint_if_idle(self):
        if self._refresher is None or not self._refresher.is_alive():
            self._paint()

    def _paint(self):
        result = self.session.result()
        word = banner(self.session.table)
        table_png, chart_png = png(draw_table(result)), png(fairness_chart(result))
        graph = svg(diagram_of(self.session)) or ""
        with self._paint_lock, contextlib.ExitStack() as batch:
            for widget in (self.banner, self.table_image, self.chart_image, self.graph,
                           self.text):
                batch.enter_context(widget.hold_sync())
            self.banner.value = word
            self.banner.style.background = BANNER_COLORS[word]
            self.table_image.value = table_png
            self.chart_image.value = chart_png
            self.graph.value = graph
            self.text.value = f"<pre>{html.escape(result.picture)}</pre>"
