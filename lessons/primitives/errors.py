"""The exceptions every primitive and runtime raises, in one place."""


class WouldBlock(Exception):
    """A `*_nowait` operation could not complete without waiting."""


class Timeout(Exception):
    """A blocking operation waited as long as its timeout allowed."""


class Closed(Exception):
    """Send on a closed channel, or receive from a closed and empty one."""


class Misuse(RuntimeError):
    """An operation that would surely hang or corrupt state, refused with a plain sentence."""


class Cancelled(BaseException):
    """Raised inside an actor when its run is stopped.

    A BaseException, so that an actor's own `except Exception` cannot swallow it: the
    actor's stack unwinds and its thread ends. Python cannot kill a thread; this is how a
    run ends every thread it started.
    """


class ProcessExit(BaseException):
    """Raised inside an actor whose process exits (the shim on its timer); ends the run."""
