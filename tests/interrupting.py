"""Ctrl-C in a test: one way to send it at a chosen moment, for every test that does; and
what every test asks after it, whether a thread was left running."""
import _thread
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

# Seconds a thread still finishing its last step gets before it counts as left. A thread
# told to end is scheduled late on a busy machine: at a load of 17 to 20 on 2 cores, 3 of
# the storm's 300 runs still had one after stop()'s second and 1 s more. A leaked thread
# never ends, and the wait ends as soon as the threads do.
GRACE = 30.0
# Deliveries of one Ctrl-C that may fire before fn is called (Delivery: early) before the
# test fails: each needs the main thread to wait for a core at that very moment.
EARLY_TRIES = 10


@dataclass
class Delivery:
    """What became of one Ctrl-C sent into fn:

    surfaced   fn raised the KeyboardInterrupt (`exc`)
    after      it came out just after fn returned (it landed as fn was returning)
    lost       it landed inside fn, fn returned, and no KeyboardInterrupt ever came
    unsent     fn raised a KeyboardInterrupt before this one was sent (an earlier one
               raised a second time)
    early      it fired before fn was called: on a busy machine, the moment passed
               while this thread waited for a core between arming the timer and calling
               fn (fn was not called)
    late       fn returned before the moment came: nothing was delivered into fn
    `landed` is what the `landed` callback said of the main thread's frame at delivery."""
    outcome: str
    exc: BaseException | None = None
    landed: object = None


def deliver(fn, delay, landed=lambda frame: None):
    """Call fn with a Ctrl-C due after `delay` seconds; return the Delivery.

    The Ctrl-C reaches Python as a real SIGINT would (`_thread.interrupt_main` runs the
    SIGINT handler in force, ours or a deferring one), fired by a signal timer, so it lands
    wherever the main thread happens to be. An exception other than KeyboardInterrupt
    raised by fn goes through."""
    where, fired = ["before"], []   # where the main thread is: before, inside or after fn

    # The one real-time timer may be armed already, by pytest-timeout's signal method: it
    # is borrowed for the Ctrl-C and armed again, for what is left of it, once that is sent
    # and when this ends, so that a test that hangs after its Ctrl-C is still cut off.
    due, started = signal.getitimer(signal.ITIMER_REAL)[0], time.monotonic()

    def give_timer_back():
        if due:
            signal.setitimer(signal.ITIMER_REAL, max(due - (time.monotonic() - started), 0.001))

    def fire(signum, frame):
        if fired:   # the borrowed timer's own alarm: its own handler's
            return previous(signum, frame)
        fired.append((where[0], landed(frame)))
        give_timer_back()
        _thread.interrupt_main()

    previous = signal.signal(signal.SIGALRM, fire)
    try:
        signal.setitimer(signal.ITIMER_REAL, delay)
        try:
            where[0] = "inside"
            fn()
            where[0] = "after"
        except KeyboardInterrupt as exc:
            if not fired:
                return Delivery("unsent", exc)
            return Delivery("early" if fired[0][0] == "before" else "surfaced", exc, fired[0][1])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        # A SIGINT still pending is handled here, at the latest on this loop's jumps.
        for _ in range(3):
            pass
        if fired and fired[0][0] != "after":
            return Delivery("lost", None, fired[0][1])
        return Delivery("late")
    except KeyboardInterrupt as exc:
        if not fired:
            raise   # not ours: a real Ctrl-C
        then, landed_at = fired[0]
        return Delivery({"before": "early", "inside": "after", "after": "late"}[then], exc, landed_at)
    finally:
        signal.signal(signal.SIGALRM, previous)
        give_timer_back()


def interrupted(fn, delay):
    """Call fn with a Ctrl-C due after `delay` seconds; return the KeyboardInterrupt.

    `delay` is always well inside fn's run, so anything but a KeyboardInterrupt out of fn
    fails the test; one that fired before fn was called (`early`) is sent again, fn not
    having run."""
    for _ in range(EARLY_TRIES):
        start = time.monotonic()
        sent = deliver(fn, delay, landed=lambda frame: (time.monotonic() - start, innermost(frame)))
        if sent.outcome != "early":
            break
    if sent.outcome != "surfaced":
        fired = "never fired" if sent.landed is None else \
            "fired {:.4f} s in, the main thread at {}".format(*sent.landed)
        came_out = "" if sent.exc is None else \
            f"; the KeyboardInterrupt came out at {raised_at(sent.exc)}"
        pytest.fail(f"the interrupt after {delay:.4f} s was {sent.outcome} (see Delivery): {fn}; "
                    f"{fired}{came_out}")
    return sent.exc


def _place(frame, line):
    """One frame, as innermost() and raised_at() say it: file:line function."""
    return f"{frame.f_code.co_filename}:{line} {frame.f_code.co_name}"


def innermost(frame, depth=8):
    """Where the main thread was when a Ctrl-C was fired, innermost frame first, for a
    failure to say (one came out of deliver() itself: it had fired before fn was called). Names and
    line numbers only: no source is read inside the signal handler."""
    where = []
    while frame is not None and len(where) < depth:
        where.append(_place(frame, frame.f_lineno))
        frame = frame.f_back
    return " < ".join(where)


def raised_at(exc, depth=8):
    """Where `exc` was raised, innermost frame first, as innermost() says a frame: for an
    'after', the line of deliver() that the KeyboardInterrupt came out of."""
    tb, where = exc.__traceback__, []
    while tb is not None:
        where.append(_place(tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return " < ".join(reversed(where[-depth:]))


def threads_left(before):
    """Threads started since `before` that are still alive after a short grace."""
    deadline = time.monotonic() + GRACE
    while True:
        left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.01)


@contextmanager
def ctrl_c_at(code, event, where=lambda frame: True):
    """Inside the block, one Ctrl-C the first time the main thread's profile `event`
    ('call' or 'return') of `code` comes where `where(frame)` says: a moment no timer
    could hit every time (a profile hook observes, it replaces nothing)."""
    def hook(frame, happened, arg):
        if happened == event and frame.f_code is code and where(frame):
            sys.setprofile(None)
            _thread.interrupt_main()
    sys.setprofile(hook)
    try:
        yield
    finally:
        sys.setprofile(None)
