"""The shim's control room: knobs, the learner's buttons, live gauges, the banner.

    room = ControlRoom(Scenario(design="single", client="slow"))
    room                                   # in a notebook: displays the widgets
    room.buttons["Send big request"].click()
    room.buttons["Send ping"].click()
    room.banner.value                      # "DEADLOCK", later "SHIM EXITED"
    room.close()                           # or click Reset: every thread ends

Before the first click the banner says READY: the room starts nothing by itself.

Who writes the widgets: while a run is live, only the refresher thread does, a few
times a second, inside `hold_sync()`, and only when what it would show has changed (so
an idle, deadlocked demo costs nothing but a wake-up). Button and knob handlers run on
the kernel's thread; they change the model, and paint only while no refresher runs.
The actors' threads never touch a widget. Every cell returns at once.

Layout: three tabs, so the room fits a laptop's screen (1400 x 900): "control room"
(buttons, banner, gauges beside the actors, the wait-for graph), "recent events" (the
log and the replay line) and "knobs".
"""
import contextlib
import html
import time

import ipywidgets as w

from lessons.analysis.waitfor import doing
from lessons.story import shape
from lessons.story.knobs import KNOBS
from lessons.story.picture import NO_REPLAY
from lessons.story.scenario import Scenario
from lessons.tools.live import check_live, live_run

from .banner import show_word, status_banner
from .diagram import svg
from .keys import keys_kept
from .palette import BLUE, VERMILLION, WARNING_TEXT
from .refresher import Refresher
from .waitgraph import diagram_of

REFRESH_SECONDS = 0.25
LOG_LINES = 8
TOPIC = "prices"
NOTHING_RUNS = "nothing runs: a knob was refused (its message is above)"
KNOB_NAMES = ("design", "channel_capacity", "c_buffer_capacity", "stream_window",
              "request_size", "client", "runtime", "seed")
BUTTONS = {"Send big request": "the client sends `get N`, N = request_size",
           "Send ping": "the client sends a ping: the shim asks the engine and waits",
           "Subscribe": "the client subscribes; the engine publishes request_size changes",
           "Reset": "stop the run (every thread ends) and start clean with the knobs"}


class ControlRoom:
    """The widgets, and the one LiveRun they drive (rebuilt by Reset)."""

    def __init__(self, scenario=None, refresh_seconds=REFRESH_SECONDS):
        self.live = None
        self.seen = []                   # banner words in the order they were shown
        self.refresher = Refresher(self._read, self._paint, refresh_seconds,
                                   "control-room refresher")
        self._graph_key = None
        self._build_knobs(scenario or Scenario())
        self._build_buttons()
        self._build_gauges()
        self.widget = keys_kept(w.VBox([self._layout()]))
        self._prepare()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- building the widgets ------------------------------------------------------------
    def _build_knobs(self, sc):
        # What the knobs do not show (the timer, the read interval) comes from the scenario
        # given; a schedule replays scripted sim runs, never clicks: it is left out.
        self.given = sc.with_(schedule=None)
        self.knobs = {name: knob_widget(name, getattr(sc, name) if name != "design"
                                        else sc.design_name) for name in KNOB_NAMES}
        self.errors = {name: w.HTML() for name in KNOB_NAMES}
        self.problem = w.HTML()          # a scenario-wide error, or a hint
        for widget in self.knobs.values():
            widget.observe(self._on_knob, names="value")

    def _build_buttons(self):
        self.buttons = {label: w.Button(description=label, tooltip=help_text,
                                        layout=w.Layout(width="auto"))
                        for label, help_text in BUTTONS.items()}
        self.buttons["Send big request"].on_click(lambda _: self._send(self._big_request()))
        self.buttons["Send ping"].on_click(lambda _: self._send(["ping"]))
        self.buttons["Subscribe"].on_click(lambda _: self._send(self._subscription()))
        self.buttons["Reset"].on_click(lambda _: self.reset())
        self.buttons["Reset"].button_style = "warning"

    def _build_gauges(self):
        self.banner = status_banner("READY")
        self.clock = w.Label()
        self.gauges, self.depths, self.actors = {}, {}, {}
        self.gauge_box, self.actor_box = w.VBox(), w.VBox()
        self.gauge_title, self.events_title = w.HTML(), w.HTML()   # say how this run is read
        self.graph = w.HTML()
        self.log = w.HTML()
        self.replay = w.HTML()

    def _layout(self):
        """Tab 1: the live room (gauges beside the actors, the graph at full width, so
        its text stays readable); tab 2: recent events and the replay line; tab 3: knobs."""
        room = w.VBox([
            w.HBox(list(self.buttons.values())),
            w.HBox([self.banner, self.clock], layout=w.Layout(align_items="center")),
            self.problem,
            w.HBox([w.VBox([self.gauge_title, self.gauge_box], layout=w.Layout(width="45%")),
                    w.VBox([w.HTML("<b>actors</b>"), self.actor_box])]),
            self.graph])
        events = w.VBox([self.events_title, self.log, self.replay])
        knob_rows = [w.HBox([self.knobs[n], self.errors[n]]) for n in KNOB_NAMES]
        knobs = w.VBox([w.HTML("Knobs apply when you click <b>Reset</b> (or on the first "
                               "click after it)."), *knob_rows])
        tabs = w.Tab(children=[room, events, knobs])
        tabs.titles = ("control room", "recent events", "knobs")
        return tabs

    # -- knobs ---------------------------------------------------------------------------
    def scenario(self):
        """The Scenario the knobs describe (the rest as the room was given it), or None
        (each bad knob shows why beside it)."""
        values, bad = {}, []
        for name in KNOB_NAMES:
            try:
                values[name] = KNOBS[name].check(self.knobs[name].value)
                self.errors[name].value = ""
            except ValueError as exc:
                self.errors[name].value = error_html(exc)
                bad.append(str(exc))
        sc = None
        try:
            sc = None if bad else check_live(self.given.with_(**values))
        except ValueError as exc:   # the knobs together (processes: pipes hold powers of
            # two; go: no live run)
            bad.append(str(exc))
            named = str(exc).split(maxsplit=1)[0].rstrip(":")   # errors start with the knob
            if named in self.errors:
                self.errors[named].value = error_html(exc)
        # Said on the room's tab too: that is where the click that did nothing was.
        self.problem.value = error_html(" ".join(bad) + " (see the knobs tab)") if bad else ""
        return sc

    def _on_knob(self, change):
        with self.refresher.lock:
            ok = self.scenario() is not None
            if ok and self.live is not None and self.live.started:
                self.problem.value = "<i>knob changes apply after Reset</i>"

    def _big_request(self):
        return [f"get {self.knobs['request_size'].value}"]

    def _subscription(self):
        """Subscribe, then the engine publishes as many changes as a big request's items."""
        return [f"subscribe {TOPIC}", f"changes {TOPIC} {self.knobs['request_size'].value}"]

    # -- running ---------------------------------------------------------------------------
    def _prepare(self):
        """A fresh, unstarted LiveRun from the knobs, with its gauges; None if a knob is bad."""
        if self.live is not None:
            self.live.stop()
        sc = self.scenario()
        self.live = live_run(sc) if sc is not None else None
        self.seen = []
        self._graph_key = None
        with self.refresher.lock:
            self._build_rows()
        self.refresher.forget()
        self.refresher.paint_if_idle()

    def _send(self, texts):
        if self.live is None or not self.live.started:
            self._prepare()          # the knobs may have changed since the last Reset
        if self.live is None:
            return                   # a bad knob: its message is showing; nothing starts
        try:
            for text in texts:
                self.live.send(text)
        except RuntimeError as exc:  # processes: one could not start; nothing is left running
            self.problem.value = error_html(exc)
            return
        self.refresher.start()
        self.refresher.nudge()

    def reset(self):
        """Stop the run and the refresher (every thread ends), then a clean room."""
        self.refresher.stop()
        self._prepare()

    def close(self):
        """End every thread the room started; the widgets stay as they are."""
        self.refresher.stop()
        if self.live is not None:
            self.live.stop()

    def wait_for(self, *words, max_seconds=30.0):
        """Wait until the banner shows one of `words`; return what it shows (for tests).
        Read under the refresher's lock: a paint sets the banner first and the rest after,
        so the room is read whole, never halfway through a paint."""
        deadline = time.monotonic() + max_seconds
        while True:
            with self.refresher.lock:
                shown = self.banner.value
            if shown in words or time.monotonic() >= deadline:
                return shown
            time.sleep(0.05)

    def _read(self):
        """What the widgets should show, as plain data (compared to skip idle repaints)."""
        live = self.live
        if live is None:
            return None
        r = live.reading(LOG_LINES)
        g = r.graph
        actors = (tuple((n.name, doing(n, r.exit)) for n in g.nodes.values()) if g is not None
                  else tuple((name, "ready: starts on the first click") for name in self.actors))
        # No clock in it: an idle room's view stays equal, so it is not repainted.
        return dict(word=r.word, depths=r.depths, actors=actors, events=r.events,
                    replay=(live.replay_line() or NO_REPLAY) if live.clicks else "",
                    formed=r.formed,
                    failure=live.failure,
                    graph=None if g is None else (tuple(g.edges), tuple(g.nodes.values()),
                                                  r.exit is not None))

    # -- painting (the refresher's lock held) --------------------------------------------------
    def _build_rows(self):
        """Gauges and actor rows for this run's channels and actors."""
        self.gauges.clear(), self.depths.clear(), self.actors.clear()
        note = (self.live.depths_note, self.live.events_note) if self.live else ("", "")
        self.gauge_title.value = f"<b>channels</b> ({note[0]})" if note[0] else "<b>channels</b>"
        self.events_title.value = (f"<b>recent events</b> (the last {LOG_LINES}, "
                                   f"{note[1]})" if note[1] else "<b>recent events</b>")
        if self.live is None:
            self.gauge_box.children = self.actor_box.children = ()
            return
        rows = []
        for chan in shape.channels(self.live.scenario):
            self.gauges[chan.name] = w.IntProgress(0, min=0, max=chan.capacity,
                                                   description=chan.name,
                                                   tooltip=f"items waiting in {chan.name}",
                                                   style={"description_width": "100px"},
                                                   layout=w.Layout(width="260px"))
            self.depths[chan.name] = w.Label()
            rows.append(w.HBox([self.gauges[chan.name], self.depths[chan.name]]))
        self.gauge_box.children = rows
        self.actors = {actor.name: w.HTML() for actor in shape.actors(self.live.scenario)}
        self.actor_box.children = list(self.actors.values())

    def _paint(self, view):
        if view is None:
            self._paint_nothing_runs()
            return
        with contextlib.ExitStack() as batch:
            for widget in (self.banner, self.clock, self.log, self.replay, self.graph,
                           *self.gauges.values(), *self.depths.values(), *self.actors.values()):
                batch.enter_context(widget.hold_sync())
            word = view["word"]
            if not self.seen or self.seen[-1] != word:
                self.seen.append(word)
            show_word(self.banner, word)
            self.clock.value = clock_text(view["word"], view["formed"], self.live.now(),
                                          self.live.scenario.runtime)
            if view["failure"]:
                self.problem.value = error_html(view["failure"])
            for name, depth, capacity in view["depths"]:
                full = depth == capacity
                self.gauges[name].value = depth
                self.gauges[name].style.bar_color = VERMILLION if full else BLUE
                self.depths[name].value = f"{depth}/{capacity}" + ("  FULL" if full else "")
            for name, what in view["actors"]:
                self.actors[name].value = f"<code>{name:<14}</code> {html.escape(what)}"
            self.log.value = "<pre style='margin:0;white-space:pre;overflow-x:auto'>" + \
                html.escape("\n".join(event_line(e) for e in view["events"])) + "</pre>"
            replay = view["replay"]
            self.replay.value = ("" if not replay else html.escape(replay) if replay == NO_REPLAY
                                 else f"replay: <code>{html.escape(replay)}</code>")
            if view["graph"] != self._graph_key:
                self._graph_key = view["graph"]
                drawn = diagram_of(self.live) if view["graph"] is not None else None
                self.graph.value = svg(drawn) if drawn is not None else ""


    def _paint_nothing_runs(self):
        """No run (a knob was refused): nothing of the last run may stay on show."""
        with contextlib.ExitStack() as batch:
            for widget in (self.banner, self.clock, self.log, self.replay, self.graph):
                batch.enter_context(widget.hold_sync())
            if not self.seen or self.seen[-1] != "READY":
                self.seen.append("READY")
            show_word(self.banner, "READY")
            self.clock.value = NOTHING_RUNS
            self.log.value = self.replay.value = self.graph.value = ""
            self._graph_key = None


def clock_text(word, formed, now, kind):
    """The time of this picture, and when the deadlock formed, each said by name."""
    if word == "READY":
        return "waiting for your first click"
    shown = f"shown at t = {now:.3f} s ({kind})"
    return shown if formed is None else f"deadlock formed at t = {formed:.3f} s; {shown}"


def knob_widget(name, value):
    """A widget for one knob: a dropdown for choices, a number box otherwise."""
    knob = KNOBS[name]
    common = dict(description=name, style={"description_width": "130px"},
                  layout=w.Layout(width="260px"), tooltip=knob.help)
    if knob.choices:
        return w.Dropdown(options=knob.choices, value=value, **common)
    return w.IntText(value=value, **common)


def error_html(exc):
    return f"<span style='color:{WARNING_TEXT}'>&#9888; {html.escape(str(exc))}</span>"


def event_line(e):
    """One trace event as a log line."""
    said = (e.chan, e.item) if str(e.item).startswith(e.op) else (e.op, e.chan, e.item)
    what = " ".join(str(x) for x in said if x is not None)
    depth = "" if e.depth is None else f"  (depth {e.depth})"
    return f"t={e.t:9.3f}  {e.actor:<13}  {what}{depth}"
