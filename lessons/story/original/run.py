"""The story on the original Go program: launched, driven by the course's gRPC client,
read off its goroutine dumps.

    result = run(Scenario(runtime="go", design="single", client="slow", timeout=3))

A `GoRun` starts the shim (original/, built by build.py) with the scenario's knobs as
flags, on a Unix socket in a directory of the run's own (0700) with the run's secret;
runs story/client.py's two actors here over real gRPC (story/processes/client_side.py,
unchanged); and looks again and again: SIGUSR1 makes the shim write a look (each
channel's depth and every goroutine's stack) and go on. reading.py turns a look and the
kernel's view of the engine's C thread into the wait-for graph (analysis/waitfor.py),
whose verdict counts once two looks in a row agree. Then:
- a deadlock with the timer running waits for the shim's own exit, as in the story,
  when the timer is at most WAIT_FOR_TIMER seconds;
- any other verdict (or a longer timer) ends the program with SIGQUIT
  (GOTRACEBACK=all), and the evidence keeps Go's own dump of that moment.
Whatever happens, the process, its socket and the directory are gone when the run ends.
"""
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace

from lessons.analysis import waitfor
from lessons.analysis.goroutines import table
from lessons.analysis.waitfor import BLOCKED, ActorView, snapshot, verdict
from lessons.runtime.actor import Exit
from lessons.runtime.interrupts import held
from lessons.runtime.linux.board import Board
from lessons.runtime.linux.reaper import Children
from lessons.runtime.linux.records import Ended, Evidence, GoProcess, ShimExit
from lessons.runtime.processes import ProcessesRuntime
from lessons.story import shape
from lessons.story.client import client_recv, client_send
from lessons.story.outcome import outcome_of, watched_result
from lessons.story.processes import client_side, private
from lessons.story.processes.grpc_wire import ShimClient
from lessons.story.processes.launch import stop_client
from lessons.story.requests import expected_items

from . import reading
from .build import binary

LOOK_SECONDS = 0.05      # between looks
LOOK_WAIT = 5.0          # for the shim to write a look (a loaded machine is slow)
READY_SECONDS = 30.0     # for the shim to listen
AGREE = 3                # looks in a row that must give the same verdict
EXIT_MARGIN = 10.0       # after its timer should have fired, how long to wait for the exit
WAIT_FOR_TIMER = 60.0    # a longer timer is not waited for: SIGQUIT at the verdict
CLIENT = ("client.send", "client.recv")


class GoRun:
    """One story on the Go program: `with GoRun(sc) as r: r.look() ...; r.result()`."""

    def __init__(self, sc, max_seconds):
        self.scenario, self.max_seconds = sc, max_seconds
        self.channels = shape.channels(sc)   # the story's channels and their ends
        self.script = sc.script()
        self.stack = ExitStack()
        self.verdict, self.exit, self.seen = None, None, Evidence()
        self.agreed, self.last, self.bound_hit, self.over = 0, None, False, False
        self.look_text = ""

    # -- start ------------------------------------------------------------------------
    def __enter__(self):
        try:
            self._launch()
        except BaseException:
            self.stack.close()
            raise
        return self

    def _launch(self):
        sc, stack = self.scenario, self.stack
        path = binary()
        with held():   # a Ctrl-C between the two would leave the folder behind
            folder = private.run_directory()   # 0700: the run's own, as a processes run's
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        secret = private.new_secret()
        secret_file = os.path.join(folder, "secret")   # the shim deletes it once read
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secret)
        self.socket = private.socket_path(folder)
        self.look_file = os.path.join(folder, "look")
        self.stderr = stack.enter_context(tempfile.TemporaryFile())
        children = stack.enter_context(Children())
        with held():
            self.proc = children.start(
                [path, "-design", sc.design_name, "-channel-capacity", str(sc.channel_capacity),
                 "-c-buffer-capacity", str(sc.c_buffer_capacity),
                 "-stream-window", str(sc.stream_window), "-timeout", f"{sc.shim_timeout:g}s",
                 "-socket", self.socket, "-secret-file", secret_file, "-look", self.look_file,
                 "-parent", str(os.getpid())],
                env=dict(os.environ, GOTRACEBACK="all"), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=self.stderr)   # closed by children.end()
        self._wait_ready()
        board = Board.create(CLIENT, [c.name for c in self.channels])
        stack.callback(board.close)
        self.board = board
        client = stack.enter_context(ShimClient(self.socket, secret))
        self.rt = rt = ProcessesRuntime(board, seed=sc.seed)
        self.client_view = client_side.client_system(sc, rt, client)
        with held():   # the client's threads and what stops them: no Ctrl-C in between
            actors = [rt.thread(name, fn, self.client_view)
                      for name, fn in zip(CLIENT, (client_send, client_recv))]
            stack.callback(stop_client, rt, self.client_view, client, actors)
        self.ends = {c.name: {"send": tuple(c.receivers), "recv": tuple(c.senders)}
                     for c in self.channels}

    def _wait_ready(self):
        """Until the shim says it serves (its first line on stdout), or it ends."""
        ready, _, _ = select.select([self.proc.stdout], [], [], READY_SECONDS)
        line = self.proc.stdout.readline() if ready else b""
        if not line.startswith(b"serving on"):
            self.proc.poll()
            raise RuntimeError(f"the Go shim did not start (status {self.proc.returncode}): "
                               f"{self.read_stderr()[-2000:]}")

    def read_stderr(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    # -- looking ------------------------------------------------------------------------
    def take_look(self):
        """Ask the shim for a look (SIGUSR1) and wait for it; None if the shim has ended."""
        before = self.look_text
        self.proc.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + LOOK_WAIT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return None
            try:
                with open(self.look_file) as f:
                    text = f.read()
            except FileNotFoundError:
                text = ""
            if text and text != before:
                self.look_text = text
                return reading.read_look(text)
            time.sleep(0.005)
        raise RuntimeError(f"the Go shim wrote no look within {LOOK_WAIT:g} s")

    def views(self, look):
        kernel = reading.engine_thread(self.proc.pid)
        shim = reading.shim_views(look, kernel, self.scenario.design_name, self.ends)
        client = []
        for name in CLIENT:
            slot, _ = self.board.read(name)
            client.append(ActorView(name, slot.state, True, False, tuple(
                (chan, op, self.ends[chan][op]) for chan, op in slot.cases)))
        return client + shim, kernel

    def done(self, answered):
        sent = self.script
        return answered == len(sent) and \
            len(self.client_view.ledger.delivered) == expected_items(sent)

    def look(self):
        """One look; sets `over` when nothing more will happen."""
        if self.over:
            return
        if self.rt.errors:
            name, exc = self.rt.errors[0]
            raise RuntimeError(f"{name} crashed: {exc!r}") from exc
        look = self.take_look()
        if look is None:
            return self._exited()
        self.answered = look.answered
        if self.done(look.answered):
            self.over = True
            return self._quit()
        views, kernel = self.views(look)
        g = snapshot(views, self.rt.now())
        v = in_flight(verdict(g) or self.unread(g, look.answered), g)
        key = None if v is None else (v.kind, tuple(v.cycle), tuple(v.chain))
        self.agreed = self.agreed + 1 if key is not None and key == self.last else 1
        self.last = key
        if v is not None and self.agreed >= AGREE and self.verdict is None:
            self._take(v, g, look, kernel)
        if self.max_seconds is not None and self.rt.now() > self.max_seconds:
            self.bound_hit = self.over = True
            self._quit()

    def unread(self, g, answered):
        """A stall the graph cannot show: every request answered, nothing of the system's
        can move, and items the client asked for wait in gRPC's hands (in no Go channel)
        for a client that does not read (in_flight() drops it while the client waits on
        the stream: then they are on their way). The chain: shim.main sent them on
        `stream`."""
        if answered != len(self.script) or not waitfor.quiet(g):
            return None
        if len(self.client_view.ledger.delivered) >= expected_items(self.script):
            return None
        return waitfor.Verdict("stall", chain=[waitfor.Edge("shim.main", "client.recv",
                                                            "stream", "send")], t=g.t)

    def _take(self, v, g, look, kernel):
        """The run's verdict, with the look and the kernel's view it was read from."""
        self.verdict = v
        self.seen = replace(self.seen, look=look.text, goroutines=table(look.goroutines),
                            depths={name: list(d) for name, d in look.depths.items()},
                            engine_thread=kernel, graph=g)
        timed = any(n.timed for n in g.nodes.values())
        if not (v.kind == "deadlock" and timed and self.scenario.shim_timeout <= WAIT_FOR_TIMER):
            self.over = True
            self._quit()
        else:
            self.exit_by = self.rt.now() + self.scenario.shim_timeout + EXIT_MARGIN

    def _quit(self):
        """End the program the way one asks a Go program for its stacks: SIGQUIT."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            self.proc.wait(LOOK_WAIT)
        self.seen = replace(self.seen, sigquit=Ended(self.proc.returncode, self.read_stderr()))

    def _exited(self):
        """The shim ended by itself: its timer (status 1, the story's message), or an error."""
        t = self.rt.now()
        text = self.read_stderr()
        if self.proc.returncode != 1 or "unknown timeout" not in text:
            raise RuntimeError(f"the Go shim ended (status {self.proc.returncode}): {text[-2000:]}")
        message = next(line for line in text.splitlines() if "unknown timeout" in line)
        self.exit = Exit(t, message.split()[0], message)
        self.seen = replace(self.seen, shim_exit=ShimExit(self.proc.returncode, message, text))
        self.over = True

    # -- what it came to ----------------------------------------------------------------
    def result(self):
        v = self.verdict
        answered = getattr(self, "answered", 0)
        done = self.done(answered)
        outcome = outcome_of(deadlock=v is not None and v.kind == "deadlock", done=done,
                             sent=True, bound=self.bound_hit and v is None,
                             stalled=v is not None and v.kind == "stall", over=True)
        self.seen = replace(self.seen, process=GoProcess(self.proc.pid, self.proc.returncode))
        return watched_result(outcome, v, self.exit, self.client_view, answered,
                              expected_items(self.script),
                              {c.name: c.capacity for c in self.channels},
                              self.bound_hit, self.seen)

    def __exit__(self, *exc):
        self.over = True
        self.stack.close()


def in_flight(v, g):
    """A stall whose client is itself waiting for the stream is no stall: the items are
    in gRPC's hands, on their way (a channel cannot be full for its sender and empty for
    its receiver; a network between them can, for a moment). None then, else `v`."""
    if v is not None and v.kind == "stall" and v.chain:
        reader = g.nodes[v.chain[-1].waits_for]
        if reader.state == BLOCKED and ("recv", "stream") in reader.doing:
            return None
    return v


def run_original(sc, max_seconds):
    """Run scenario `sc` on the Go program to the end; the Result's fields, as a dict."""
    with GoRun(sc, max_seconds) as run:
        while not run.over:
            run.look()
            if run.verdict is not None and not run.over and run.rt.now() > run.exit_by:
                raise RuntimeError("the Go shim's timer did not end it in time")
            time.sleep(LOOK_SECONDS)
        return run.result()
