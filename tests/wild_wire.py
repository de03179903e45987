"""What tests/test_wire.py and tests/test_wild_isolation.py share: a pickle that would
leave a trace if it were ever unpickled, and a wait for a live run's items."""
import os
import time


class MakesADirectory:
    """A pickle that makes a directory in whichever process unpickles it."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def delivered(live, count, seconds=60):
    """The live run's result once `count` items reached its client (or `seconds` passed)."""
    deadline = time.monotonic() + seconds
    while live.result().delivered < count and time.monotonic() < deadline:
        time.sleep(0.05)
    live.wait_for("COMPLETED")
    return live.result()
