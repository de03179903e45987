"""The runtime inside one process of a processes run (engine, shim, or the caller's client).

The actor code is the same as in sim and threads: it calls `send`/`recv`/`select` on
channels, `current()` for its runtime, `sleep`, `now`, `me().name`, `exit_process`.
Here each actor is a real thread with a kernel name; its waits on pipes go to the kernel
(via pipechan.Waiter) and every wait is published on the run's board before it starts
and after it ends, which is what the watcher in the caller reads.
"""
import faulthandler
import os
import sys
import threading
import time
from types import SimpleNamespace

from .. import runtime as base
from ..errors import Cancelled
from ..waitfor import BLOCKED, FINISHED, IDLE, RUNNING, SLEEPING
from . import prctl
from .pipechan import Waiter

EXIT_STATUS = 1   # Go's log.Fatal: what the shim did when its timer fired


class ProcessRuntime:
    kind = "processes"

    def __init__(self, board, seed=0, t0=None):
        self.board = board
        self.t0 = time.monotonic() if t0 is None else t0   # CLOCK_MONOTONIC: one clock for all processes
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
        prctl.name_thread(name)
        base._local.rt = self           # what lessons.runtime.current() answers in this thread
        self._actor.name = name
        self.publish(RUNNING)

    def run_actor(self, name, fn, *args):
        """Run actor `name` in the calling thread until its code returns or is cancelled."""
        self.become(name)
        try:
            fn(*args)
        except Cancelled:
            pass
        finally:
            self.publish(FINISHED)

    def thread(self, name, fn, *args):
        """A started daemon thread running actor `name` (threading's name matches: py-spy shows it)."""
        t = threading.Thread(target=self.run_actor, args=(name, fn) + args, name=name, daemon=True)
        t.start()
        return t

    def publish(self, state, cases=(), timeout=None):
        deadline = 0.0 if timeout is None else time.monotonic() + timeout
        self.board.publish(self.me().name, state, cases, deadline, threading.get_native_id())

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
