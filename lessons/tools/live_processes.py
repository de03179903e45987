"""A live run on real processes: the control room's clicks as real gRPC requests.

    live = LiveProcesses(Scenario(design="single", client="slow", runtime="processes"))
    live.send("get 32")          # the first click launches the engine and the shim
    live.send("ping")            # a real unary gRPC call, while the answer streams
    live.wait_for("DEADLOCK")
    live.reading().depths        # each pipe's depth, read from /proc: notifications 4/4
    live.stop()                  # every process, thread, pipe and socket of the run ends

The same surface as LiveRun (start, send, reading, status, now, replay_line, result,
wait_for, stop), so the control room drives either. The first click launches a
`ProcessesRun` in live mode (story/processes/run.py); a watcher thread then looks at it
every LOOK_SECONDS, as `run()` does (every QUIET_LOOK_SECONDS while a verdict holds or
every request is answered), and keeps the latest Reading: the banner's word, the
wait-for graph (the one its verdict was read from, once the run has one that stands:
`ProcessesRun.shown_graph`), and each channel's depth from the kernel, read just before
each look (the board's pipe table, then FIONREAD through /proc: runtime/linux/gauges.py).
The watcher, a click and stop() take the run's lock in turn; the views read only the Readings. The recent events are the
board's changes as the watcher saw them: a wait shorter than a look can be missed.
If a process dies, the banner says ERROR and `failure` says why.

The timer is the live one (3 s unless the scenario sets it). Replay is not possible:
the kernel schedules, not a seeded scheduler.
"""
import threading
import time
from dataclasses import replace

from lessons.runtime.actor import Event
from lessons.runtime.interrupts import interruptible
from lessons.runtime.linux.gauges import read_gauges
from lessons.runtime.linux.records import Evidence
from lessons.runtime.linux.watch import LOOK_SECONDS
from lessons.story import shape
from lessons.story.outcome import banner_of
from lessons.story.processes.run import ProcessesRun
from lessons.story.requests import parse_request
from lessons.story.scenario import Result

from .reading import Reading, live_scenario

QUIET_LOOK_SECONDS = 0.25   # between looks once nothing will change but by a click or the
                            # shim's exit (a verdict holds, or every request is answered)
KEPT_EVENTS = 200


class LiveProcesses:
    """One story on real processes, launched by the first click, fed by `send(text)`."""
    events_note = (f"as the board showed them to a look every {LOOK_SECONDS * 1000:.0f} ms "
                   f"while anything moves, every {QUIET_LOOK_SECONDS:g} s while nothing "
                   "does: a shorter wait can be missed")
    depths_note = ("records in each pipe / records it holds, read from the kernel; "
                   "stream: the fullest open call's pipe")

    def __init__(self, scenario):
        self.scenario = live_scenario(scenario)
        self.clicks: list[tuple[float, str]] = []
        self.run = None
        self.failure = None                 # why the run broke off (a process died), or None
        self.events = []
        self._final = None                  # the run's result, kept when it ends
        self._lock = threading.Lock()       # the run: the watcher's, stop()'s, send()'s
        self._stopping = threading.Event()
        self._wake = threading.Event()      # a click, or stop(): look now
        self._watcher = None
        self._latest = self._reading_before()
        self._evidence = Evidence()   # the run's, as the watcher last saw it

    @property
    def started(self):
        """Launched (a launch that failed or was interrupted is not started)."""
        return self.run is not None and self.run.opened

    # -- the learner's side ---------------------------------------------------------------
    @interruptible()
    def start(self):
        """Launch engine and shim and start watching (idempotent). RuntimeError if a
        process cannot start; everything it opened is closed again."""
        if self.run is None and not self._stopping.is_set():
            self.run = ProcessesRun(self.scenario, live=True)   # opens nothing yet
            try:
                self.run.open()
                self._watcher = threading.Thread(target=self._watch, name="processes watcher",
                                                 daemon=True)
                self._watcher.start()
            except BaseException:   # Ctrl-C at any moment of it: nothing is left running
                self.stop()
                raise
        return self

    @interruptible()
    def send(self, text):
        """Send one request as the client: a real gRPC call to the shim. ValueError
        (naming the `requests` knob) for text that is not a request."""
        request = parse_request(text, len(self.clicks) + 1)
        if self._stopping.is_set():
            raise RuntimeError("this live run was stopped: start a new one (the room's Reset)")
        self.start()
        with self._lock:
            if self.run.over:    # the shim has exited: there is no one to send it to
                return request
            t = self.run.rt.now()
            self.run.send(request)
            self.clicks.append((t, text.strip()))
            self.events.append(Event(t, "client.send", "sends", None, text.strip(), None))
        self._wake.set()
        return request

    def stop(self):
        """End every process and thread of this run; safe to call twice, and a Ctrl-C
        while it waits for the watcher still ends the run."""
        self._stopping.set()
        self._wake.set()
        try:
            if self._watcher is not None:
                self._watcher.join()
        finally:
            with self._lock:
                if self.run is not None:
                    self._end()

    # -- what the views read ----------------------------------------------------------------
    def reading(self, events=8):
        """The latest Reading (the watcher's), with the last `events` events."""
        latest = self._latest
        return replace(latest, events=tuple(self.events[-events:]))

    def status(self):
        return self.reading().word

    def now(self):
        """The run's clock (seconds since the launch) at the watcher's last look."""
        return self.reading().now

    def pids(self):
        """{'engine': pid, 'shim': pid, 'caller': pid} once launched, else {}."""
        return dict(self.run.roles) if self.started else {}

    def evidence(self):
        """What the run gathered when its verdict was confirmed (stacks, kernel, pipes),
        as the watcher last copied it."""
        return self._evidence

    def result(self):
        """The run so far as a Result, as run() reports it (outcome, cycle, evidence...);
        None before the first click. RuntimeError (as run() raises) if a process died."""
        if self.failure is not None:
            raise RuntimeError(self.failure)
        with self._lock:
            fields = self._final if self._final is not None else \
                self.run.result(ended=True) if self.started else None
        if fields is None:
            return None
        requests = [text for _, text in self.clicks] or None
        return Result(scenario=self.scenario.with_(requests=requests), **fields)

    def replay_line(self):
        """None: a run of real processes cannot be replayed (picture.NO_REPLAY says why)."""
        return None

    @interruptible()
    def wait_for(self, *words, max_seconds=30.0):
        """Wait until the banner shows one of `words` (or max_seconds pass); return it."""
        deadline = time.monotonic() + max_seconds
        while self.status() not in words and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.status()

    # -- the watcher ------------------------------------------------------------------------
    def _watch(self):
        before = {}
        while not self._stopping.is_set():
            self._wake.clear()     # before the look: a click during it wakes the next one
            with self._lock:
                if self._stopping.is_set():
                    return         # stop() ends the run, now or once it has the lock
                # The gauges before the look: a verdict it confirms has held for the
                # watch's CONFIRMATIONS looks, so they show its pipes. After it they could
                # not: taking the verdict dumps stacks (seconds on a busy machine) and the
                # shim's timer may end the processes meanwhile (the flake hunt saw a
                # deadlock shown with notifications 0/2, the last gauges before it filled).
                depths = self._depths()
                try:
                    self.run.look()
                except Exception as exc:   # a process died, an actor crashed: say so, stop
                    self.failure = str(exc) if isinstance(exc, RuntimeError) else repr(exc)
                    self._latest = replace(self._latest, word="ERROR", now=self.run.rt.now())
                    self._end()
                    return
                before = self._note_changes(before)
                self._latest = self._reading_now(depths)
                if self.run.over:      # the shim exited: its processes are gone; free the rest
                    self._end()
                    return
                quiet = self._quiet()
            self._wake.wait(QUIET_LOOK_SECONDS if quiet else LOOK_SECONDS)

    def _quiet(self):
        """Will nothing change but by a click or the shim's exit? A verdict holds, or every
        click is answered (lock held)."""
        return self.run.current is not None or self.run.done()

    def _end(self):
        """Keep what the run came to, then end its processes and threads (lock held)."""
        if self._final is None and self.failure is None:
            self._final = self.run.end()
        self.run.close()

    def _reading_before(self):
        depths = tuple((c.name, 0, c.capacity) for c in shape.channels(self.scenario))
        return Reading("READY", 0.0, depths, None, None, None, None, ())

    def _reading_now(self, depths):
        run = self.run
        self._evidence = run.seen   # a record the run replaces, never changes
        verdict = run.shown_verdict()
        formed = verdict.t if verdict is not None and verdict.kind == "deadlock" else None
        word = banner_of(run.outcome(), run.exit is not None)
        return Reading(word, run.rt.now(), depths or self._latest.depths, run.shown_graph(),
                       verdict, run.exit, formed, ())

    def _depths(self):
        """(channel, depth, capacity) from the kernel. A channel no pipe carries now (the
        stream between calls) shows empty; one whose process just ended keeps what the
        last look saw (the pipe is gone, not emptied)."""
        last = {name: (depth, capacity) for name, depth, capacity in self._latest.depths}
        return tuple((g.channel, g.depth, g.capacity) if g.depth is not None else
                     (g.channel, last[g.channel][0] if g.pipes else 0, last[g.channel][1])
                     for g in read_gauges(self.run.board, list(last)))

    def _note_changes(self, before):
        """Add an event for each actor whose state or wait changed since the last look."""
        g, run = self.run.graph, self.run
        if run.exit is not None and not any(e.op == "exited:" for e in self.events):
            self.events.append(Event(run.exit.t, "shim", "exited:", None, run.exit.message, None))
        if g is None:
            return before
        now = {n.name: (n.state, n.doing) for n in g.nodes.values()}
        for name, (state, doing) in now.items():
            if before.get(name, ("ready", ())) != (state, doing):
                self.events.append(change_event(g.t, name, state, doing))
        del self.events[:-KEPT_EVENTS]
        return now


def change_event(t, actor, state, doing):
    """An actor's new state as an Event: 'waits to send notifications', or its state."""
    if doing:
        ops = " or ".join(f"{op} {chan}" for op, chan in doing)
        return Event(t, actor, f"waits to {ops}", None, None, None)
    return Event(t, actor, state, None, None, None)
