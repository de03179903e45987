"""Ctrl-C in a test: one way to send it at a chosen moment, for every test that does."""
import _thread
import signal

import pytest


def interrupted(fn, delay):
    """Call fn with a Ctrl-C due after `delay` seconds; return the KeyboardInterrupt.

    The Ctrl-C reaches Python as a real SIGINT would (`_thread.interrupt_main` runs the
    SIGINT handler in force, ours or a deferring one), fired by a signal timer.
    `delay` is always well inside fn's run, so fn returning is a lost interrupt."""
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: _thread.interrupt_main())
    try:
        signal.setitimer(signal.ITIMER_REAL, delay)
        try:
            fn()
        except KeyboardInterrupt as exc:
            return exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        pytest.fail(f"the interrupt after {delay:.4f} s was lost: {fn} returned")
    finally:
        signal.signal(signal.SIGALRM, previous)
