"""The story's actors, read off the live Go program: its look (each channel's depth and a
goroutine dump) and the kernel's view of the engine's C thread.

Which goroutine is which actor, and what it waits on, comes from the function it is in
and the state Go gives it; the table below is the whole rule (original/shim.go and
engine.go are the functions it names):

    function            Go's state      actor            waits on
    requestsGoroutine   chan receive    shim.requests    recv requests
    requestsGoroutine   chan send       shim.requests    send handoff
    mainGoroutine       select          shim.main        recv notifications (or handoff: single)
    forward             select          shim.main        send stream
    callEngine          select          the caller       recv replies (with the timer)
    engine_enqueue      syscall (cgo)   the caller       send c_buffer, when it is full
    goNotify            chan send       engine           send notifications
    goReply             chan send       engine           send replies

The engine's thread is a C thread: while it waits for the C buffer it is in no goroutine
at all, and the kernel says where it sleeps (a futex, with an empty C buffer). A look
that shows a goroutine of the story's in none of these rows counts it as running.
"""
from collections import namedtuple

from lessons.analysis.goroutines import parse
from lessons.analysis.waitfor import BLOCKED, RUNNING, ActorView
from lessons.runtime.linux.kernel import threads_of

Wait = namedtuple("Wait", "function state cases timed")
ROWS = (   # innermost first: callEngine runs inside mainGoroutine or requestsGoroutine
    Wait("goNotify", "chan send", (("notifications", "send"),), False),
    Wait("goReply", "chan send", (("replies", "send"),), False),
    Wait("_Cfunc_engine_enqueue", "syscall", (("c_buffer", "send"),), False),
    Wait("callEngine", "select", (("replies", "recv"),), True),
    Wait("forward", "select", (("stream", "send"),), False),
    Wait("mainGoroutine", "select", (("notifications", "recv"), ("handoff", "recv")), False),
    Wait("requestsGoroutine", "chan receive", (("requests", "recv"),), False),
    Wait("requestsGoroutine", "chan send", (("handoff", "send"),), False),
)
ACTORS = {"requestsGoroutine": "shim.requests", "mainGoroutine": "shim.main",
          "goNotify": "engine", "goReply": "engine"}
ENGINE_THREAD = "engine"   # the C thread's name (pthread_setname_np in engine.c)

Look = namedtuple("Look", "number depths answered goroutines text")
Look.__doc__ = ("One look at the Go program: its number, {channel: (items, capacity)} (a "
                "stream per open call), requests answered, the goroutines, the raw text.")


def read_look(text):
    """A Look from what the shim wrote on SIGUSR1 (original/main.go, looks)."""
    head, _, dump = text.partition("\n\n")
    number, depths, answered = 0, {}, 0
    for line in head.splitlines():
        words = line.split()
        if words[0] == "look":
            number = int(words[1])
        elif words[0] == "channel":
            depths[words[1]] = (int(words[2]), int(words[3]))
        elif words[0] == "answered":
            answered = int(words[1])
    return Look(number, depths, answered, parse(dump), text)


def actor_of(g):
    """The story's actor a goroutine is, or None (gRPC's, the runtime's, the look's)."""
    for function, actor in ACTORS.items():
        if g.calls(function):
            return actor
    return None


def wait_of(g, depths, design):
    """(cases, timed) of a story goroutine: what it waits on, or ((), False) if it runs."""
    for row in ROWS:
        if g.state == row.state and g.calls(row.function):
            cases = tuple(c for c in row.cases if design == "single" or c[0] != "handoff")
            if row.function == "_Cfunc_engine_enqueue" and not full(depths, "c_buffer"):
                return (), False    # in C, but not waiting: the C buffer has room
            return cases, row.timed
    return (), False


def full(depths, name):
    items, capacity = depths.get(name, (0, 1))
    return items >= capacity


def engine_thread(pid):
    """The kernel's view of the engine's C thread (runtime/linux/kernel.py), or None."""
    return next((v for v in threads_of(pid) if v.comm == ENGINE_THREAD), None)


def engine_in_c(view, depths):
    """The engine outside Go: asleep in a futex with an empty C buffer waits on c_buffer."""
    if view is not None and view.state == "S" and view.syscall == "futex" \
            and depths.get("c_buffer", (1, 1))[0] == 0:
        return (("c_buffer", "recv"),)
    return ()


def shim_views(look, kernel_view, design, ends):
    """ActorViews of shim.requests, shim.main and the engine. `ends`: {channel: {op:
    partners}} (the other end of each channel, from the story's System)."""
    found = {}
    for g in look.goroutines:
        actor = actor_of(g)
        if actor is not None and actor not in found:
            found[actor] = wait_of(g, look.depths, design)
    if "engine" not in found:
        found["engine"] = (engine_in_c(kernel_view, look.depths), False)
    views = []
    for actor in ("shim.requests", "shim.main", "engine"):
        cases, timed = found.get(actor, ((), False))
        views.append(ActorView(actor, BLOCKED if cases else RUNNING, False, timed,
                               tuple((chan, op, ends[chan][op]) for chan, op in cases)))
    return views
