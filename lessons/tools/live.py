"""A live run: the system running in the background while the learner clicks.

    live = LiveRun(Scenario(design="single", client="slow"))
    live.send("get 32")          # the big request
    live.send("ping")            # ...while the answer still streams
    live.wait_for("SHIM EXITED")
    live.replay_line()           # "run(Scenario(..., requests=['get 32 @ 0', 'ping @ 0.35']))"
    live.stop()

Requests come from the learner, not from the scenario's script: each `send` puts one
into the client's `clicks` channel, which `client.send` forwards to the shim. Each click
is recorded with the run's time (virtual in sim), so the replay line repeats it.

In sim the clock is *paced* (see sim.py): a slow client's reads take real time, so there
is time to click while the answer streams; a timer that only a deadlock stands before
(the shim's one hour) is compressed to a couple of real seconds. Nothing here blocks the
caller except `wait_for`, which has a limit.
"""
import time

from lessons.analysis import waitfor
from lessons.runtime import RUNTIMES
from lessons.runtime.interrupts import interruptible, wait_briefly
from lessons.runtime.linux.records import Evidence
from lessons.story.picture import picture, status
from lessons.story.requests import parse_request
from lessons.story.scenario import Scenario, collect
from lessons.story.system import System

from .reading import Reading, live_scenario
from .stacks import StacksAtExit

PACE = 1.0                # real seconds per virtual second in a live sim run


def check_live(scenario):
    """`scenario`, or ValueError naming the knob when no live run can run it."""
    if scenario.runtime == "go":
        raise ValueError("runtime: the control room runs threads, sim or processes; runtime "
                         "go runs the original Go program through run(Scenario(runtime='go'))")
    return scenario


def live_run(scenario=None):
    """A live run of `scenario` in its runtime: threads and sim in this process, processes
    as real processes (tools/live_processes.py)."""
    scenario = check_live(scenario or Scenario())
    if RUNTIMES[scenario.runtime].separate_processes:
        from .live_processes import LiveProcesses  # gRPC and Linux: only when asked for
        return LiveProcesses(scenario)
    return LiveRun(scenario)


class LiveRun:
    """One system, started on the first click (or `start()`), fed by `send(text)`."""
    events_note = "every step, from the run's trace"
    depths_note = "items waiting / capacity"
    failure = None     # a run in this process has no process that can die under it

    def __init__(self, scenario: Scenario | None = None, pace: float = PACE):
        self.scenario = live_scenario(scenario or Scenario())
        self.system = System(self.scenario, live=True)
        self.rt = self.system.rt
        self.at_exit = self.rt.watch(StacksAtExit())   # every stack when the shim's timer fires
        self.rt.set_pace(pace)
        self.clicks: list[tuple[float, str]] = []   # every request the learner sent, timed
        self.started = False

    @interruptible()
    def start(self):
        """Start the actors (idempotent); the client waits for the first click."""
        if not self.started:
            self.started = True
            self.rt.kick()
        return self

    @interruptible()
    def send(self, text):
        """Send one request as the client, e.g. 'get 32', 'ping', 'subscribe prices'.

        ValueError (naming the `requests` knob) for text that is not a request."""
        request = parse_request(text, len(self.clicks) + 1)
        self.start()
        with self.rt.guard:
            t = self.rt.now()
        self.system.clicks.send_nowait(request)   # WouldBlock when clicks is full
        self.clicks.append((t, text.strip()))
        self.rt.kick()
        return request

    # -- what the views read ------------------------------------------------------------
    def stacks_at_exit(self):
        """Every actor's stack when the shim's timer fired (None before it fires)."""
        return self.at_exit.stacks

    def status(self):
        """The banner word: RUNNING, COMPLETED, STALL, DEADLOCK or SHIM EXITED."""
        return status(self.system)

    def reading(self, events=8):
        """The Reading of this run now, with its last `events` events."""
        rt = self.rt
        g = self.graph()
        # Waiting for the learner's next click is no one's fault: leave those waits out.
        g = waitfor.WaitFor(g.nodes, [e for e in g.edges if e.chan != self.system.clicks.name], g.t)
        with rt.guard:
            depths = tuple((c.name, len(c), c.capacity) for c in self.system.channels())
            recent = tuple((rt.events or [])[-events:])
            formed = rt.deadlock.t if rt.deadlock is not None else None
            verdict, exit, now = rt.deadlock or rt.final, rt.exit, rt.now()
        word = self.status() if self.started else "READY"
        return Reading(word, now, depths, g, verdict, exit, formed, recent)

    def evidence(self):
        """What a processes run gathers at its verdict; a run in this process has none."""
        return Evidence()

    def pids(self):
        """The processes of a processes run; a run in this process has no others."""
        return {}

    def picture(self):
        return picture(self.system)

    def graph(self):
        return self.rt.graph()

    def result(self):
        """The run so far as a Result (outcome, cycle, stuck, exit, trace...)."""
        return collect(self.system, self.picture())

    def now(self):
        with self.rt.guard:
            return self.rt.now()

    @interruptible()
    def wait_for(self, *words, max_seconds=30.0):
        """Wait until the banner shows one of `words` (or max_seconds pass); return it."""
        deadline = time.monotonic() + max_seconds
        with self.rt.settled:
            while True:
                word = status(self.system)
                remaining = deadline - time.monotonic()
                if word in words or remaining <= 0:
                    return word
                # Short waits: "completed" is read off the ledger, which notifies no one.
                wait_briefly(self.rt.settled, min(remaining, 0.05))

    # -- repeating it -------------------------------------------------------------------
    def replay(self):
        """The scenario that repeats this run without clicks: each request at its time."""
        requests = [f"{text} @ {stamp(t)}" for t, text in self.clicks]
        return self.scenario.with_(requests=requests or None)

    def replay_line(self):
        """Python that repeats this run, e.g. run(Scenario(..., requests=[...], seed=0))."""
        return f"run({self.replay().code()})"

    def stop(self):
        """End every thread of this run (within a second); safe to call twice."""
        return self.rt.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def stamp(t):
    """A click's time as written after @: milliseconds are plenty for a click."""
    return f"{t:.3f}".rstrip("0").rstrip(".") or "0"
