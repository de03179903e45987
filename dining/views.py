"""Views of the table: the round table, the fairness chart, the wait-for graph, widgets.

    draw_table(result)          the round table: states, who holds each fork, the cycle
    fairness_chart(result)      meals per philosopher, at the run's time
    figure(size)                a figure to put several of them side by side
    wait_for_graph(session)     the shared wait-for graph drawing (lessons.views)
    TableView()                 Start, Step, Reset and a strategy chooser (ipywidgets)

Only this module imports matplotlib and ipywidgets. Drawings take a Result (dining.run's,
or a Session's so far), so they draw a finished run and a live one alike. Each state has
a colour (Okabe-Ito, colour-blind safe), a hatch and its word in the seat; the cycle is
drawn as thick arrows; every figure carries a one-sentence caption.

Who writes the widgets: while Start runs the table, a worker thread makes the moves and
never touches a widget; one refresher (lessons.views.refresher) paints, a few times a
second, inside `hold_sync()`. Step and Reset run on the kernel's thread and paint only
while no refresher runs. Reset (and close) end every thread.
"""
import contextlib
import html
import math
import threading

import ipywidgets as w
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Patch
from matplotlib.ticker import MaxNLocator

from lessons.views import wait_for_graph
from lessons.views.banner import show_word, status_banner
from lessons.views.captioned import with_caption
from lessons.views.diagram import svg
from lessons.views.figure import figure, svg as figure_svg
from lessons.views.keys import keys_kept
from lessons.views.palette import CYCLE, STATES
from lessons.views.refresher import Refresher
from lessons.views.waitgraph import diagram_of

from .knobs import KNOBS
from .picture import banner
from .session import Session

TABLE_FILL = "#F5EFE6"
REFRESH_SECONDS = 0.25
MOVE_SECONDS = 0.05     # Start: the pause between moves, so the eye can follow

__all__ = ["draw_table", "fairness_chart", "figure", "wait_for_graph", "TableView"]


def seat(i, n, radius=1.0):
    """Where philosopher i (or, at i + 0.5, fork i) sits; p0 at the top, clockwise."""
    angle = math.pi / 2 - 2 * math.pi * i / n
    return radius * math.cos(angle), radius * math.sin(angle)


def state_patch(state, **more):
    color, hatch = STATES[state]
    return dict(facecolor=color, hatch=hatch or None, edgecolor="black", **more)


def draw_table(result, ax=None):
    """The round table of `result`: a Figure (or draws on `ax`)."""
    fig, ax = _canvas(ax, (5.2, 5.6), table_caption(result))
    names = list(result.meals)
    n = len(names)
    ax.add_patch(Circle((0, 0), 0.62, color=TABLE_FILL, zorder=0))
    for i, name in enumerate(names):
        x, y = seat(i, n)
        stuck = name in result.stuck
        ax.add_patch(Circle((x, y), 0.24, zorder=2, linewidth=3.5 if stuck else 1,
                            **state_patch(result.states[name])))
        ax.text(x, y, f"{name}\n{result.states[name]}\n{result.meals[name]}/{result.dinner.meals}",
                ha="center", va="center", fontsize=9, zorder=3,
                bbox=dict(fc="white", ec="none", alpha=0.8, pad=0.5))
    _draw_forks(ax, result, names)
    for e in result.cycle:   # waiter -> holder, through the fork he waits for
        arrow = FancyArrowPatch(seat(names.index(e.actor), n, 0.8),
                                seat(names.index(e.waits_for), n, 0.8),
                                connectionstyle="arc3,rad=-0.3", arrowstyle="-|>",
                                mutation_scale=16, color=CYCLE, linewidth=3, zorder=4)
        arrow.set_gid("cycle")
        ax.add_patch(arrow)
    ax.set_title(f"{result.dinner.strategy}: {result.outcome.upper()} at t={result.seconds:g} s",
                 fontsize=12)
    handles = [Patch(label=s, **state_patch(s)) for s in STATES]
    if result.cycle:
        handles.append(Line2D([], [], color=CYCLE, lw=3, label="waits for (the cycle)"))
    ax.legend(handles=handles, loc="upper center", ncol=3, fontsize=9, frameon=False,
              bbox_to_anchor=(0.5, 0.0))
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def _draw_forks(ax, result, names):
    n = len(names)
    for k, (fork, holder) in enumerate(result.holders.items()):
        # A free fork lies on the table between its two philosophers; a held one moves
        # next to its holder.
        x, y = seat(k + 0.5, n, 0.62)
        if holder is not None:
            hx, hy = seat(names.index(holder), n)
            x, y = (x + hx) / 2, (y + hy) / 2
        ax.plot([x * 0.92, x * 1.08], [y * 0.92, y * 1.08], color="black" if holder else
                "#888888", linewidth=3, solid_capstyle="round", zorder=1)
        ax.text(x * 0.8, y * 0.8, fork, ha="center", va="center", fontsize=9, color="#444444")


def table_caption(result):
    """The table in one sentence: the verdict in words."""
    said = f"{result.dinner.strategy}, {len(result.meals)} philosophers: {result.outcome}"
    if result.cycle:
        said += " (" + ", ".join(f"{e.actor} waits for {e.waits_for}" for e in result.cycle) + ")"
    eaten = sum(result.meals.values())
    return said + f"; {eaten} of {len(result.meals) * result.dinner.meals} meals eaten " \
                  f"by t={result.seconds:g} s."


def fairness_chart(result, ax=None):
    """Meals per philosopher (bar colour and hatch: the state now), with the meals each
    was to eat as a dashed line."""
    fig, ax = _canvas(ax, (4.6, 2.8), fairness_caption(result))
    names = list(result.meals)
    for name in names:
        ax.bar(name, result.meals[name], **state_patch(result.states[name]))
    goal = ax.axhline(result.dinner.meals, color="#444444", linestyle="--", linewidth=1.2,
                      label=f"meals each ({result.dinner.meals})")
    ax.set_ylim(0, result.dinner.meals + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))   # meals come whole
    ax.set_ylabel("meals", fontsize=9)
    ax.tick_params(labelsize=9)
    ax.set_title(f"{result.dinner.strategy}: meals per philosopher at t={result.seconds:g} s",
                 fontsize=10)
    shown = sorted(set(result.states.values()), key=list(STATES).index)
    # Under the bars, inside the chart's own width: charts side by side never overlap it.
    ax.legend(handles=[goal] + [Patch(label=f"{s} now", **state_patch(s)) for s in shown],
              fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3,
              frameon=False)
    return fig


def fairness_caption(result):
    meals = ", ".join(f"{name} {k}" for name, k in result.meals.items())
    return f"Meals eaten by t={result.seconds:g} s ({result.dinner.strategy}): {meals}."


def _canvas(ax, size, caption):
    if ax is not None:
        return ax.figure, ax
    fig = figure(size, caption=caption)
    return fig, fig.add_subplot()


def table_diagram(session):
    """The wait-for graph of a session; once nobody can move, each philosopher says the
    state the table left them in (a livelock ends its threads: "finished" would mislead)."""
    d = diagram_of(session)
    result = session.result()
    if result.outcome == "livelock":
        for box in d.nodes:
            if box.id in result.states:
                box.label = f"{box.id}\n{result.states[box.id]}, gave up (livelock)"
        d.title = d.title.split(":")[0] + ": LIVELOCK, everyone hungry, nobody eats"
        d.caption = f"Livelock: {', '.join(result.states)} are all " \
                    f"{'/'.join(sorted(set(result.states.values())))}; nobody waits on a " \
                    "fork, yet nobody eats."
    return d


class TableView:
    """Widgets over a Session: Start, Step, Reset, and knobs that apply on Reset."""

    BUTTONS = {"Start": "run the table to its end, a move at a time",
               "Step": "make one move",
               "Reset": "stop, and seat a new table with the knobs as they are now"}

    def __init__(self, philosophers=5, strategy="naive", meals=3, seed=0,
                 refresh_seconds=REFRESH_SECONDS, move_seconds=MOVE_SECONDS):
        self.move_seconds = move_seconds
        self.session = None
        self.meals = meals
        self._worker = None
        self._halt = threading.Event()       # set: the worker ends
        self.refresher = Refresher(self._read, self._paint, refresh_seconds,
                                   "dining:refresher", until=lambda: not self.running())
        knob = dict(style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.strategy = w.Dropdown(options=KNOBS["strategy"].choices, value=strategy,
                                   description="strategy", tooltip=KNOBS["strategy"].help, **knob)
        self.philosophers = w.BoundedIntText(value=philosophers, min=2, max=12,
                                             description="philosophers",
                                             tooltip="how many sit at the table (2-12)", **knob)
        self.seed = w.BoundedIntText(value=seed, min=0, max=2**32 - 1, description="seed",
                                     tooltip="the seed of the random schedule", **knob)
        self.buttons = {label: w.Button(description=label, tooltip=help_text)
                        for label, help_text in self.BUTTONS.items()}
        self.buttons["Start"].on_click(lambda _: self.start())
        self.buttons["Step"].on_click(lambda _: self.step())
        self.buttons["Reset"].on_click(lambda _: self.reset())
        self.buttons["Reset"].button_style = "warning"
        self.banner = status_banner("READY")
        self.table_image = w.HTML(layout=w.Layout(width="45%"))
        self.chart_image = w.HTML(layout=w.Layout(width="55%"))
        self.graph = w.HTML()     # full width: a ring of philosophers is wide
        self.text = w.HTML()
        self.widget = keys_kept(w.VBox([
            w.HBox([self.strategy, self.philosophers, self.seed]),
            w.HBox([*self.buttons.values(), self.banner]),
            w.HBox([self.table_image, self.chart_image], layout=w.Layout(align_items="center")),
            self.graph, self.text]))
        self.reset()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- what the buttons do ------------------------------------------------------------
    def step(self):
        """One move (ignored while Start runs the table)."""
        if self.running():
            return
        self.session.step()
        self.refresher.paint_if_idle()

    def start(self):
        """Run the table to the end, a move every move_seconds, painting as it goes."""
        if self.running() or self.session.over():
            return
        self._halt.clear()
        self._worker = threading.Thread(target=self._run_moves, name="dining:moves", daemon=True)
        self._worker.start()
        self.refresher.start()

    def reset(self):
        """End every thread, seat a new table with the knobs as they are now."""
        self._stop_threads()
        if self.session is not None:
            self.session.close()
        self.session = Session(self.philosophers.value, self.strategy.value, self.meals,
                               self.seed.value)
        self.refresher.paint_if_idle()

    def close(self):
        self._stop_threads()
        self.session.close()

    def running(self):
        return self._worker is not None and self._worker.is_alive()

    def wait(self, max_seconds=60.0):
        """Wait until Start's run is over and painted; True if it is."""
        if self._worker is not None:
            self._worker.join(max_seconds)
        self.refresher.join(max_seconds)
        return not self.running() and not self.refresher.running()

    # -- threads ----------------------------------------------------------------------------
    def _run_moves(self):
        while not self._halt.is_set() and self.session.step():
            self._halt.wait(self.move_seconds)

    def _stop_threads(self):
        self._halt.set()
        if self._worker is not None:
            self._worker.join()
        self._worker = None
        self.refresher.stop()

    # -- painting ---------------------------------------------------------------------------
    def _read(self):
        """What would be shown: this session, this many moves in (cheap to compare)."""
        return id(self.session), self.session.rt.schedule()

    def _paint(self, _view):
        result = self.session.result()
        word = banner(self.session.table)
        table = draw_table(result)
        chart = fairness_chart(result)
        pictures = [with_caption(figure_svg(fig), fig.caption) for fig in (table, chart)]
        graph = svg(table_diagram(self.session)) or ""
        with contextlib.ExitStack() as batch:
            for widget in (self.banner, self.table_image, self.chart_image, self.graph,
                           self.text):
                batch.enter_context(widget.hold_sync())
            show_word(self.banner, word)
            self.table_image.value, self.chart_image.value = pictures
            self.graph.value = graph
            self.text.value = f"<pre style='white-space:pre'>{html.escape(result.picture)}</pre>"
