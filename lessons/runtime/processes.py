"""The processes runtime (Linux): the story run as real OS processes.

The engine runs in a single-threaded process of its own, the shim in another (a real
gRPC server, its two goroutines two named threads), the client in the caller over real
gRPC; the channels between them are pipes (primitives/pipes.py). The story launches and
watches them (story/processes/); the verdict comes from the processes' board checked
against the kernel (linux/watch.py), and the evidence from /proc and stack dumps.

One `ProcessesRuntime` lives in each of those processes. The actor code is the same as
in sim and threads: it calls `send`/`recv`/`select` on channels, and what
base.ActorRuntime lists (`current()`, `sleep`, `now`, `me().name`, `exit_process`).
Here each actor is a real thread with a kernel name; its waits on pipes go to the
kernel (via pipechan.Waiter), and every wait is published on the run's board before it
starts and after it ends, which is what the caller watches.
Replay is not possible: the kernel schedules, not a seeded scheduler.
"""
import faulthandler
import os
import sys
import threading
import time
import traceback
from types import SimpleNamespace

from lessons.analysis.waitfor import BLOCKED, FINISHED, IDLE, RUNNING, SLEEPING
from lessons.primitives.errors import Cancelled

from .base import ActorRuntime, bind_runtime
from .launched import LaunchedRuntime

EXIT_STATUS = 1   # Go's log.Fatal: what the shim did when its timer fired
CRASH_STATUS = 3  # an actor of the engine's or the shim's process crashed


def check_platform():
    """ValueError naming what is missing where the processes runtime cannot run."""
    if not sys.platform.startswith("linux"):
        raise ValueError(f"runtime processes needs Linux (pipes resized with F_SETPIPE_SZ, "
                         f"/proc, prctl); this is {sys.platform}: use runtime 'threads'")


class ProcessesRuntime(LaunchedRuntime, ActorRuntime):
    """What the actors of one process of a processes run call (base.ActorRuntime's
    contract), on pipes and the run's board."""
    kind = "processes"
    runs = "the whole story as separate processes"
    also = " or live through live_run() and the control room"
    others = "LiveRun, the stepper and dining"

    def __init__(self, board, seed=0, child=False):
        """`child`: this is the engine's or the shim's process, which ends when an actor
        crashes (the caller sees the status); in the caller a crash is kept in `errors`."""
        from lessons.primitives.pipechan import Waiter  # Linux only: the package imports everywhere
        self.board, self.child = board, child
        self.t0 = time.monotonic()
        self.errors = []   # (actor name, exception), in the caller
        self.waiter = Waiter(seed)
        self.waiter.observers.append(self._on_wait)
        self.stopping = threading.Event()   # set by the caller's runtime when the run ends
        self._actor = threading.local()

    def now(self):
        return time.monotonic() - self.t0

    def me(self):
        return SimpleNamespace(name=getattr(self._actor, "name", threading.current_thread().name))

    # -- actors -----------------------------------------------------------------------
    def become(self, name):
        """Make the calling thread the actor `name`: kernel name, runtime, board slot."""
        from .linux import prctl  # Linux only
        prctl.name_thread(name)
        bind_runtime(self)
        self._actor.name = name
        self.publish(RUNNING)

    def run_actor(self, name, fn, *args):
        """Run actor `name` in the calling thread until its code returns or is cancelled."""
        self.become(name)
        try:
            fn(*args)
        except Cancelled:
            pass
        except BaseException as exc:  # an actor's bug must surface, not vanish with its thread
            if self.child:
                traceback.print_exc()
                sys.stderr.flush()
                os._exit(CRASH_STATUS)
            self.errors.append((name, exc))
        finally:
            self.publish(FINISHED)

    def thread(self, name, fn, *args):
        """A started daemon thread running actor `name` (threading's name matches: py-spy shows it)."""
        t = threading.Thread(target=self.run_actor, args=(name, fn) + args, name=name, daemon=True)
        t.start()
        return t

    def publish(self, state, cases=(), timeout=None):
        """Put the calling actor's state on the board (a thread that is no actor has no slot)."""
        name = getattr(self._actor, "name", None)
        if name is not None:
            deadline = 0.0 if timeout is None else time.monotonic() + timeout
            self.board.publish(name, state, cases, deadline, threading.get_native_id())

    def _on_wait(self, event, cases, timeout):
        if event == "wait":
            self.publish(BLOCKED, [(chan.name, op) for chan, op, _ in cases], timeout)
        else:
            self.publish(RUNNING)

    # -- what actor code calls ----------------------------------------------------------
    def wait(self, cases, timeout=None):
        return self.waiter.wait(cases, timeout)

    def sleep(self, seconds):
        self._pause(SLEEPING, seconds)

    def idle(self):
        """Wait for nothing but the end of the run (a client that never reads)."""
        self._pause(IDLE, None)

    def _pause(self, state, seconds):
        self.publish(state)
        if self.stopping.wait(seconds):
            raise Cancelled()
        self.publish(RUNNING)

    def exit_process(self, message):
        """The shim's timer fired: print the message and every thread's stack, and exit."""
        names = {t.ident: f"{t.name} (tid {t.native_id})" for t in threading.enumerate()}
        sys.stderr.write(f"{message}\n\n")
        sys.stderr.writelines(f"thread 0x{ident:016x} is {name}\n" for ident, name in names.items())
        sys.stderr.flush()
        faulthandler.dump_traceback(sys.stderr, all_threads=True)
        sys.stderr.flush()
        os._exit(EXIT_STATUS)
