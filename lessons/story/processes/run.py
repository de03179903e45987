"""The story as real processes: engine and shim as OS processes, the client here over gRPC.

    from lessons import Scenario, run
    result = run(Scenario(design="single", client="slow", runtime="processes", timeout=3))
    result.outcome, result.cycle, result.exit, result.evidence

A `ProcessesRun` launches the engine and the shim (launch.py), runs story/client.py's two
actors as threads over a real gRPC client, and is then looked at again and again
(`look()`): the processes' health, then the board checked against the kernel
(runtime/linux/watch.py). It records the verdict and the evidence the moment one is
confirmed; a deadlock with a timer in it then runs on until the shim exits, as in the
story. `run_in_processes` looks until the run is over; the control room's live run
(tools/live_processes.py) looks from a thread of its own while the learner clicks.
Whatever happens, `close()` (or leaving the `with` block) ends every process and thread
the run started and closes every fd it opened (KeyboardInterrupt included).

Replay is not possible here: the kernel schedules, not a seeded scheduler.
"""
import os
import signal
import subprocess
import time
from contextlib import ExitStack
from dataclasses import replace

from lessons.analysis.waitfor import BLOCKED
from lessons.runtime.actor import Exit
from lessons.runtime.interrupts import held
from lessons.runtime.linux import evidence
from lessons.runtime.linux.records import Evidence, ShimExit, Stacks
from lessons.runtime.linux.watch import LOOK_SECONDS, Watch
from lessons.runtime.processes import EXIT_STATUS, ProcessesRuntime
from lessons.story import shape
from lessons.story.client import client_recv, client_send
from lessons.story.outcome import outcome_of, watched_result
from lessons.story.requests import expected_items

from . import client_side
from .grpc_wire import REFUSED, ShimClient
from .launch import CLICKS, IN_ENGINE, IN_SHIM, launch, read, stop_client, wait_for_shim

DEATH_SECONDS = 0.5     # after one process dies, how long the others may take to follow


class ProcessesRun:
    """One story as processes: started by `open()` (or `with`), looked at by `look()`,
    ended by `close()` (or `end()`, which keeps the result first).

    `live`: client.send sends what `send()` is given instead of the script, and the run
    is over only when the shim exits (or it is closed): the learner may click on after a
    verdict. `max_seconds`: a bound on the run's time (None: none)."""

    def __init__(self, sc, live=False, max_seconds=None):
        self.scenario, self.live, self.max_seconds = sc, live, max_seconds
        self.stack = ExitStack()
        self.opened = False
        self.clicked = []         # the learner's requests (live), in order
        self.verdict = None       # the run's, with its evidence: the first one confirmed,
                                  # or a deadlock confirmed after a stall
        self.current = None       # the verdict the last look confirmed (while it lasts)
        self.graph = None         # the wait-for graph of the last look
        self.seen = Evidence()    # the evidence, a record replaced as more is seen
        self.exit = None
        self.bound_hit = False
        self.over = False

    def open(self):
        """Launch the processes and the client. If that fails or is interrupted, whatever
        it had opened is closed again before the exception goes on."""
        try:
            self._launch()
        except BaseException:
            self.stack.close()
            raise
        self.opened = True
        return self

    def _launch(self):
        sc, stack = self.scenario, self.stack
        with held():   # a Ctrl-C during the launch waits for its end
            board, procs, dump_files, errors, ends_held, wire = launch(sc, stack, self.live)
        wait_for_shim(board, procs, errors)
        client = stack.enter_context(ShimClient(wire.path, wire.secret))   # calls connect at once
        self.rt = rt = ProcessesRuntime(board, seed=sc.seed)
        self.client_view = client_side.client_system(sc, rt, client, self.live)
        with held():   # the client's threads and what stops them: no Ctrl-C in between
            actors = [rt.thread("client.send", client_send, self.client_view),
                      rt.thread("client.recv", client_recv, self.client_view)]
            stack.callback(stop_client, rt, self.client_view, client, actors)
        self.board, self.procs, self.dump_files, self.errors = board, procs, dump_files, errors
        self.wire = wire   # the shim's socket and the run's secret
        self.between = {name: (procs["engine"].pid, pipe.rfd if pipe.rfd is not None else pipe.wfd)
                        for name, pipe in ends_held["engine"].items()}   # the engine's end of each
        self.roles = {"engine": procs["engine"].pid, "shim": procs["shim"].pid,
                      "caller": os.getpid()}
        self.actor_pids = {name: self.roles["engine"] if name in IN_ENGINE else
                           self.roles["shim"] if name in IN_SHIM else self.roles["caller"]
                           for name in (a.name for a in shape.actors(sc))}
        ends = {c.name: {"send": c.other_end("send"), "recv": c.other_end("recv")}
                for c in shape.channels(sc)}
        ends[CLICKS] = {"recv": ()}   # only the learner, outside the run, sends there
        self.outside = {a.name for a in shape.actors(sc) if a.outside}
        self.watching = Watch(board, self.actor_pids, ends, self.outside, rt.t0)

    # -- the learner's requests (live runs) -------------------------------------------
    def send(self, request):
        """client.send sends `request` next (a live run)."""
        self.clicked.append(request)
        self.client_view.clicks.put(request)

    def sent(self):
        """The requests asked of the client so far: the script, or every click (a click
        counts before client.send has sent it: until it is answered, the run is not done)."""
        return list(self.clicked) if self.live else self.client_view.script

    def done(self):
        """Every request sent so far answered, and every item it asked for delivered."""
        sent = self.sent()
        return (self.board.answered() == len(sent)
                and len(self.client_view.ledger.delivered) == expected_items(sent))

    # -- looking ----------------------------------------------------------------------
    def look(self):
        """One look: is a process gone, has an actor crashed, what does the board say,
        confirmed by the kernel? Sets `over` when nothing more will happen."""
        if self.over:
            return
        if not self.live and self.done():
            self.over = True
            return
        if self._exited():
            return
        if self.rt.errors:
            name, exc = self.rt.errors[0]
            raise RuntimeError(f"{name} crashed: {exc!r}") from exc
        self.graph, self.current = self.watching.look()
        v = self.current
        first = v is not None and self.verdict is None
        if first or (v is not None and v.kind == "deadlock" and self.verdict.kind != "deadlock"):
            self._take(v)    # the first verdict, or a deadlock after a stall: it outweighs it
        if self.max_seconds is not None and self.rt.now() > self.max_seconds:
            self.bound_hit = self.over = True

    def _exited(self):
        """Has a process ended? The shim on its timer is the story; anything else is an error."""
        if all(proc.poll() is None for proc in self.procs.values()):
            return False
        ended_at = self.rt.now()
        # One death often takes the other with it (a closed pipe): let it, then see.
        for proc in self.procs.values():
            try:
                proc.wait(DEATH_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        shim = self.procs["shim"]
        if shim.returncode != EXIT_STATUS:
            # A process killed by a signal first: the other one's crash (a pipe closed
            # under it) is what followed, not the cause.
            dead = sorted((role for role, proc in self.procs.items() if proc.poll() is not None),
                          key=lambda role: self.procs[role].returncode >= 0)
            raise RuntimeError("; ".join(
                f"the {role} process {death(self.procs[role].returncode)}: "
                f"{read(self.errors[role])[-1500:]}" for role in dead))
        self.exit, exited = shim_exit(shim, self.errors["shim"], ended_at)
        self.seen = replace(self.seen, shim_exit=exited, processes=stacks_at_exit(self.seen.processes, exited))
        self.over = True
        return True

    def _take(self, verdict):
        """The run's verdict: gather the evidence now, while it is true."""
        self.verdict = verdict
        seen = evidence.gather(self.board, self.actor_pids, self.roles, self.dump_files,
                               self.between)
        self.seen = replace(self.seen, processes=seen.processes, blocked=seen.blocked,
                            pipes=seen.pipes, graph=self.graph)
        if not self.live and not timer_running(self.graph):
            self.over = True    # nothing will ever change

    # -- what it came to ----------------------------------------------------------------
    def shown_verdict(self, ended=False):
        """The verdict that stands: a deadlock for good; a stall, while a live run goes on,
        only while it lasts (what the last look confirmed); the run's own once it is over
        (or judged as if it ended now: `ended`)."""
        final = not self.live or self.over or ended
        if self.verdict is not None and (self.verdict.kind == "deadlock" or final):
            return self.verdict
        return self.current

    def shown_graph(self):
        """The wait-for graph that goes with shown_verdict(): while the run's own verdict
        is the one shown, the graph it was read from (recorded with it in `seen`), else
        the last look's. A look after a deadlock's verdict can come as the shim's exit
        lets the engine's write fail but before either process has ended: it sees the
        engine doing nothing, under a banner that rightly still says DEADLOCK."""
        v = self.shown_verdict()
        return self.seen.graph if v is not None and v is self.verdict else self.graph

    def outcome(self, ended=False):
        """The outcome so far (the one rule in story/outcome.py), or as if the run ended
        now (`ended`): a run that ended with no verdict confirmed and not done is unfinished."""
        v, over = self.shown_verdict(ended), self.over or ended
        return outcome_of(deadlock=v is not None and v.kind == "deadlock",
                          done=self.done(), sent=bool(self.sent()),
                          bound=over and self.verdict is None,
                          stalled=v is not None and v.kind == "stall", over=over)

    def result(self, ended=False):
        """The Result's fields, as a dict (`ended`: judged as if the run ended now)."""
        seen = replace(self.seen, watch=self.watching.report(),
                       refused=refused(read(self.errors["shim"])))   # calls the shim turned away
        return watched_result(self.outcome(ended), self.shown_verdict(ended), self.exit,
                              self.client_view, self.board.answered(),
                              expected_items(self.sent()),
                              {c.name: c.capacity for c in shape.channels(self.scenario)},
                              self.bound_hit, seen)

    def end(self):
        """Stop the run here: its result as it stands (nothing more will happen), then
        close(). None if it never opened."""
        try:
            self.over = True
            return self.result() if self.opened else None
        finally:
            self.close()

    def close(self):
        """End every process and thread of the run, close every fd; safe to call twice."""
        self.over = True
        self.stack.close()

    def __enter__(self):
        return self.open()

    def __exit__(self, *exc):
        self.close()


def run_in_processes(sc, max_seconds):
    """Run scenario `sc` as real processes to the end; the Result's fields, as a dict."""
    with ProcessesRun(sc, max_seconds=max_seconds) as run:
        while True:
            run.look()
            if run.over:
                return run.result()
            time.sleep(LOOK_SECONDS)


def shim_exit(proc, stderr, t):
    """The shim's exit (seen at time `t`): status, the story's message (its first line
    that is not a refused call), and what it printed."""
    text = read(stderr)
    lines = [line for line in text.strip().splitlines() if not line.startswith(REFUSED)]
    message = lines[0] if lines else ""
    actor = message.split()[0] if message else "shim"
    return Exit(t, actor, message), ShimExit(proc.returncode, message, text)


def death(status):
    """How a process ended, from its status: a signal by name, else the status."""
    if status < 0:
        try:
            return f"was killed by {signal.Signals(-status).name} (status {status})"
        except ValueError:
            pass
    return f"died (status {status})"


def stacks_at_exit(processes, exited):
    """The processes' records, the shim's stacks taken from what it printed as it exited
    when its dump got nothing: on a busy machine the dumps (py-spy takes seconds) can
    outlast a short timer, and the shim, exiting, prints every thread's stack
    (ProcessesRuntime.exit_process), which is where its deadlocked threads still were."""
    shim = (processes or {}).get("shim")
    if shim is None or shim.stacks.tool is not None or not exited.stderr:
        return processes
    why = f"{shim.stacks.why_not_py_spy}; the shim exited on its timer before a dump"
    return {**processes, "shim": replace(shim, stacks=Stacks("faulthandler", why, exited.stderr))}


def refused(text):
    """The shim's lines about calls it refused."""
    return [line for line in text.splitlines() if line.startswith(REFUSED)]


def timer_running(g):
    """Does one of the system's actors wait with a timer (which will end the run) in the
    wait-for graph `g`? Asked of the look that confirmed the verdict, not of the board
    afterwards: gathering the evidence takes a while on a busy machine (py-spy can take
    seconds), the timer may have fired meanwhile, and the run must then go on to see the
    shim exit (its exit may come a moment after its board slot says the wait ended)."""
    return any(n.state == BLOCKED and n.timed and not n.outside for n in g.nodes.values())
