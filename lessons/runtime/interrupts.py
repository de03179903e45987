"""Ctrl-C (or the kernel's interrupt button) that is never lost.

Python raises `KeyboardInterrupt` wherever the main thread happens to be when SIGINT is
handled. If that is inside a weakref callback or a `__del__` (a finished run's threads
being collected: `threading`'s WeakSet of threads), Python can only print "Exception
ignored in ..." and the interrupt is gone. While `interruptible()` is active, the handler
also remembers the interrupt, and `checkpoint()`, called where stopping is safe (the
explorer's loop, a run's waits), raises it again if nobody has seen it. Whoever catches a
`KeyboardInterrupt` calls `delivered()`, so it is never raised twice.

Some moments must not be interrupted at all: `held()` keeps Ctrl-C back until its block
ends and then delivers it. threading's own locks are such a moment: an interrupt that
lands while `Condition.wait` takes its lock back leaves the lock released, and the
`with` around the wait then raises "RuntimeError: release unlocked lock" instead of the
KeyboardInterrupt (seen in Thread.start, whose wait the new thread's start contends).
`wait_briefly` is a short wait under `held()`.

Only the main thread can install a handler; elsewhere these do nothing.
"""
import signal
import sys
import threading
from contextlib import contextmanager

LOOK_EVERY = 0.1   # seconds: how often a controller waiting on a run calls checkpoint()

_state = threading.local()   # main thread only: the pending flag


class _Remember:
    """interruptible()'s SIGINT handler: remember, then the handler it replaced (which
    raises KeyboardInterrupt). Whether a live one is in force is what says a block is
    active: no count of nesting that a Ctrl-C landing in contextlib's own code could leave
    wrong (one that did, in the flake hunt, left every later run of the process unguarded)."""

    def __init__(self, previous, owner):
        self.previous = previous
        self.owner = owner      # the frame whose `with` holds the block
        self.live = True

    def guards(self, frame):
        """Whether this block still holds `frame` (a block whose exit a Ctrl-C skipped
        stays in force until it is collected, but holds nobody)."""
        while frame is not None and frame is not self.owner:
            frame = frame.f_back
        return self.live and frame is not None

    def __call__(self, signum, frame):
        _state.pending = True
        self.previous(signum, frame)


def _active():
    handler = signal.getsignal(signal.SIGINT)
    return isinstance(handler, _Remember) and handler.guards(sys._getframe(1))


@contextmanager
def interruptible():
    """Remember every SIGINT while the block runs. Nested blocks chain their handlers; a
    block left without its exit (a Ctrl-C inside contextlib's __enter__ or __exit__)
    never undoes a later block's handler when it is collected."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield                           # SIG_IGN or SIG_DFL: Ctrl-C is not ours to handle
        return
    remember = _Remember(previous, sys._getframe(2))   # 1: contextlib's __enter__
    outermost = not (isinstance(previous, _Remember) and previous.guards(remember.owner))
    try:
        if outermost:
            _state.pending = False
        signal.signal(signal.SIGINT, remember)
        yield
        checkpoint()                    # one lost at the very end still reaches the caller
    except KeyboardInterrupt:
        _state.pending = False          # it is on its way out: never raise it again
        raise
    finally:
        remember.live = False           # first: no call, so nothing can land before it
        if signal.getsignal(signal.SIGINT) is remember:
            if outermost:
                _state.pending = False  # what it caught has gone out with it
            signal.signal(signal.SIGINT, previous)


def checkpoint():
    """Raise KeyboardInterrupt if one arrived inside `interruptible()` and was swallowed
    where it landed."""
    if getattr(_state, "pending", False) and _active():
        _state.pending = False
        raise KeyboardInterrupt


def wait_for(event):
    """event.wait(), calling checkpoint() while it waits."""
    while not wait_briefly(event, LOOK_EVERY):
        checkpoint()


@contextmanager
def held():
    """Hold back Ctrl-C until the block ends, then hand it to the handler it was meant for
    (in the main thread; elsewhere, and where Ctrl-C is ignored, this does nothing)."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield
        return
    caught = []
    signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        previous(signal.SIGINT, None)


def wait_briefly(waitable, seconds):
    """waitable.wait(seconds) (an Event or a Condition whose lock the caller holds), with
    Ctrl-C held back until it returns: only for short waits, the interrupt waits too."""
    with held():
        return waitable.wait(seconds)


def delivered():
    """A KeyboardInterrupt was caught: it reached us, so it need not be raised again."""
    _state.pending = False
