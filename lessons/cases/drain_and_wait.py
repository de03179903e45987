"""One goroutine both drains a channel and waits on its sender: the story's own shape
(Kubernetes)."""
from lessons.primitives.chan import select
from lessons.primitives.errors import Closed

from .case import Case


def buggy(rt):
    write_lock, reset, closing = parts(rt, ["monitor"])

    def monitor():              # the only reader of reset, and it also takes write_lock
        while True:
            which, _ = select(closing.receiving(), reset.receiving())
            if which == 0:
                with write_lock:
                    reset.close()
                return
    spawn(rt, write_lock, reset, closing, monitor)


def fixed(rt):
    write_lock, reset, closing = parts(rt, ["monitor", "drainer"])
    draining = rt.chan("draining", 1, senders=["monitor"], receivers=["drainer"])

    def monitor():
        while True:
            which, _ = select(closing.receiving(), reset.receiving())
            if which == 0:
                draining.send(True)         # someone else drains reset from now on...
                with write_lock:            # ...while the monitor waits for the lock
                    reset.close()
                return

    def drainer():
        draining.recv()
        for _ in reset:
            pass
    rt.spawn("drainer", drainer)
    spawn(rt, write_lock, reset, closing, monitor)


def parts(rt, readers):
    return (rt.lock("write_lock"),
            # The monitor closes reset, so it is one of its senders (a close ends a send).
            rt.chan("reset", 0, senders=["writer", "monitor"], receivers=readers),
            rt.chan("closing", 1, senders=["conn"], receivers=["monitor"]))


def spawn(rt, write_lock, reset, closing, monitor):
    def writer():               # WriteFrame: under the lock, tells the monitor it was busy
        with write_lock:
            try:
                reset.send(True)
            except Closed:      # the connection closed first: no timer left to reset
                pass

    def conn():                 # the connection closes
        closing.send(True)
    for name, fn in (("writer", writer), ("monitor", monitor), ("conn", conn)):
        rt.spawn(name, fn)


CASE = Case(
    name="drain-and-wait", title="one goroutine that both drains and waits (the story's shape)",
    project="Kubernetes", link="https://github.com/kubernetes/kubernetes/pull/6632",
    incident=(
        "Kubernetes' idle-aware framer reset an idle timer on every frame it wrote: "
        "WriteFrame, holding the write lock, sent on a reset channel that a monitor "
        "goroutine drained. When the connection closed, the monitor took the write lock "
        "to close that channel. If a frame was being written just then, the writer held "
        "the lock and waited for the monitor to drain; the monitor, the only drainer, "
        "waited for the lock. It is the incident's shape: one goroutine with two jobs, "
        "draining a channel and waiting on the goroutine that fills it."),
    buggy=buggy, fixed=fixed, buggy_parts=(buggy, parts, spawn),
    fix=("before it waits for the lock, the monitor hands draining to another goroutine "
         "(drainer), as the patch did, and as the story's split design does."))
