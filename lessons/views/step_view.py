"""Step mode as widgets: one button per actor, Undo, the schedule, "predict first".

    view = StepView(Scenario(design="single"))
    view                                  # in a notebook: displays the widgets
    view.buttons["engine"].click()        # with predict first: asks, then...
    view.answer.value = "it blocks"
    view.reveal.click()                   # ...makes the move and says who was right
    view.undo.click()
    view.close()

A button is disabled when its actor cannot move, and the reason shows beside it. When
an actor's select has several ready cases, a chooser labelled "case" beside its button
names them (M/0, M/1: the first and second ready case of shim.main's select). Every
control is a real button, dropdown or text box, so Tab and Enter drive it all.
Steps are synchronous (the sim waits for the learner), so every widget write happens
on the kernel's thread in a click handler: no refresher is needed here.
"""
import html

import ipywidgets as w

from lessons.tools.stepper import EFFECTS, Stepper

from .banner import show_word, status_banner
from .control_room import error_html
from .diagram import svg
from .keys import keys_kept
from .palette import GREEN, TEXT
from .waitgraph import diagram_of

MOVABLE = TEXT[GREEN]
CASE_HELP = "{} waits in a select with several ready cases: choose which one it takes"


class StepView:
    def __init__(self, scenario=None, predict=True, graph=True):
        self.stepper = Stepper(scenario)
        self.pending = None            # the move waiting for the learner's prediction
        self.chosen = None             # whose button was pressed last
        self.show_graph = graph
        names = list(self.stepper.rt.actors)
        self._build_moves(names)
        self._build_controls(predict)
        self.banner = status_banner("RUNNING")
        self.picture = w.HTML()
        self.graph = w.HTML()
        rows = [w.HBox([self.buttons[n], self.cases[n], self.reasons[n]]) for n in names]
        self.widget = keys_kept(w.VBox([
            w.HBox([self.banner, self.predict, self.undo, self.reset]), *rows,
            self.question, self.answer, self.reveal, self.feedback,
            w.HBox([self.schedule, self.replay]), self.picture,
            self.graph]))   # at full width: beside the picture its text would shrink to ~5 px
        self._show()

    def _build_moves(self, names):
        """Per actor: its button, the case chooser beside it, and why it cannot move."""
        self.buttons = {n: w.Button(description=n, tooltip=f"move {n} one step",
                                    layout=w.Layout(width="130px")) for n in names}
        self.cases = {n: w.Dropdown(description="case", tooltip=CASE_HELP.format(n),
                                    style={"description_width": "40px"},
                                    layout=w.Layout(width="260px", display="none"))
                      for n in names}
        self.reasons = {n: w.HTML() for n in names}
        for name, button in self.buttons.items():
            button.on_click(lambda _, name=name: self.choose(name))

    def _build_controls(self, predict):
        """Undo, Reset, the schedule and Replay, and the predict-first question."""
        self.undo = w.Button(description="Undo", icon="undo", tooltip="take back the last move")
        self.undo.on_click(lambda _: self._after(self.stepper.undo()))
        self.reset = w.Button(description="Reset", button_style="warning",
                              tooltip="back to the start, no move made")
        self.reset.on_click(lambda _: self._after(self.stepper.reset()))
        self.schedule = w.Text(description="schedule", layout=w.Layout(width="70%"),
                               tooltip="the moves so far; edit it and click Replay",
                               style={"description_width": "70px"})
        self.replay = w.Button(description="Replay", tooltip="start again from this schedule")
        self.replay.on_click(lambda _: self.replay_schedule(self.schedule.value))
        self.predict = w.Checkbox(value=predict, description="predict first",
                                  tooltip="before each move, say what you expect")
        self.question = w.HTML()
        # A list box, not radio buttons: the focus can be put on it when the question
        # opens (a radio group cannot take it from Python), and its arrow keys choose.
        self.answer = w.Select(options=EFFECTS, value=None, rows=len(EFFECTS),
                               description="prediction", layout=w.Layout(display="none"))
        self.reveal = w.Button(description="Reveal", button_style="info",
                               tooltip="make the move and compare with your prediction",
                               layout=w.Layout(display="none"))
        self.reveal.on_click(lambda _: self._reveal())
        self.feedback = w.HTML()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- what the learner does ----------------------------------------------------------
    def choose(self, actor):
        """The learner picked an actor: ask first, or make the move at once."""
        move = self.cases[actor].value
        if move is None:
            return
        self.chosen = actor
        if not self.predict.value:
            self._make(move, None)
            return
        self.pending = move
        does = next(m.does for c in self.stepper.choices() for m in c.moves if m.token == move)
        self.question.value = (f"<b>Predict first:</b> what will happen when <code>{move}</code>"
                               f" ({html.escape(does)}) is made?")
        self.answer.value = None
        self.feedback.value = ""
        self._show(focus=lambda: self.answer)  # the pressed button is disabled while it asks

    def _reveal(self):
        if self.answer.value is None:
            self.feedback.value = "<i>choose an answer first</i>"
            return
        move, self.pending = self.pending, None
        self._make(move, self.answer.value)

    def _make(self, move, guess):
        effect = self.stepper.step(move)
        verdict = "" if guess is None else (
            "&#10004; right: " if guess == effect else f"&#10008; you said {guess}; in fact ")
        self.feedback.value = f"<code>{move}</code>: {verdict}{effect}"
        self.question.value = ""
        self._show(focus=lambda: self._kept_focus(self.chosen))

    def _kept_focus(self, actor):
        """Where the focus goes after a move: back to the actor's own button; a button
        that can no longer move is disabled (and Reveal hidden), and the browser would drop
        the focus to the page: then to Undo, which takes back the move just made. Never
        to another actor's button, where a second Enter would move someone else."""
        button = self.buttons.get(actor)
        if button is not None and not button.disabled:
            return button
        return None if self.undo.disabled else self.undo

    def replay_schedule(self, schedule):
        """Start again from a schedule string (the learner's own, or a teacher's)."""
        given = self.stepper.scenario
        self.stepper.close()
        try:   # Scenario refuses a malformed schedule or an unknown actor; Stepper, a move that cannot happen
            self.stepper = Stepper(given.with_(schedule=schedule.strip() or None))
            problem = ""
        except ValueError as exc:
            self.stepper = Stepper(given.with_(schedule=None))
            problem = error_html(exc)
        self._after(None)
        self.feedback.value = problem

    def close(self):
        self.stepper.close()

    # -- showing ----------------------------------------------------------------------------
    def _after(self, _):
        """After Undo, Reset or Replay: the last move's message no longer holds."""
        self.pending = None
        self.question.value = self.feedback.value = ""
        self._show()

    def _show(self, focus=lambda: None):
        """Every control's state, then the focus, then the schedule and the drawings.
        `focus` is asked once the controls have their new state (whether a button is still
        enabled) and names the widget that gets the focus, or None to leave it. The browser
        applies the kernel's messages in the order they were sent: the focus must come after
        the controls' state (a button still shown disabled cannot take it), and before the
        drawings, so that it is back at once and not after graphviz has drawn. Whoever waits
        for the schedule box to show a move (a learner, a test) then finds it in place."""
        self._show_controls()
        widget = focus()
        if widget is not None:
            widget.focus()
        self._show_run()

    def _show_controls(self):
        s = self.stepper
        asking = self.pending is not None
        for choice in s.choices():
            name, moves = choice.actor, choice.moves
            button, cases = self.buttons[name], self.cases[name]
            button.disabled = asking or not moves
            # Movable: palette green (dark enough for white text), and enabled; the
            # reason beside a disabled button says why it cannot move, in words. While
            # the question is open nobody moves, and no button looks as if it could.
            movable = bool(moves) and not asking
            button.style.button_color = MOVABLE if movable else None
            button.style.text_color = "white" if movable else None
            cases.options = [(f"{m.token}: {m.does}", m.token) for m in moves]
            cases.value = moves[0].token if moves else None
            cases.layout.display = "" if len(moves) > 1 else "none"
            self.reasons[name].value = (f"<i>{html.escape(choice.reason)}</i>" if choice.reason
                                        else "" if len(moves) > 1 else
                                        f"next: {html.escape(moves[0].does)}")
        for widget in (self.answer, self.reveal):
            widget.layout.display = "" if asking else "none"
        self.undo.disabled = asking or not s.schedule
        show_word(self.banner, s.status())

    def _show_run(self):
        """The schedule so far, the system's picture and its wait-for graph."""
        s = self.stepper
        self.schedule.value = s.schedule
        self.picture.value = f"<pre style='white-space:pre'>{html.escape(s.picture())}</pre>"
        self.graph.value = (svg(diagram_of(s)) or "") if self.show_graph else ""
