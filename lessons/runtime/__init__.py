"""The runtimes that run the course's actors, and the calling actor's own runtime.

    RUNTIMES["threads"]   real threads on the real clock, as in the wild (threads.py)
    RUNTIMES["sim"]       deterministic: one actor at a time, virtual clock (sim.py)
    RUNTIMES["processes"] Linux: the story as real OS processes, pipes and gRPC (processes.py)
    RUNTIMES["go"]        Linux with Go: the story's original Go shim and C engine (go.py)

A new runtime is one module beside these and one entry here.
"""
from .base import Runtime, bound_runtime, run_to_end
from .go import GoRuntime
from .processes import ProcessesRuntime
from .sim import SimRuntime
from .threads import ThreadsRuntime

RUNTIMES = {"threads": ThreadsRuntime, "sim": SimRuntime, "processes": ProcessesRuntime,
            "go": GoRuntime}

_default = None


def current():
    """The calling actor's runtime, or the process-wide threads runtime for plain threads."""
    rt = bound_runtime()
    if rt is not None:
        return rt
    global _default
    if _default is None:
        _default = ThreadsRuntime(trace=False)
    return _default


def sleep(seconds):
    """Sleep in the caller's runtime (virtual seconds in sim: costs no wall time)."""
    current().sleep(seconds)


def now():
    """The caller's runtime clock, in seconds since its start."""
    return current().now()


__all__ = ["RUNTIMES", "GoRuntime", "ProcessesRuntime", "Runtime", "SimRuntime", "ThreadsRuntime", "current", "now", "run_to_end",
           "sleep"]
