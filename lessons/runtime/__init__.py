"""The runtimes that run the course's actors, and the calling actor's own runtime.

    RUNTIMES["threads"]   real threads on the real clock, as in the wild (threads.py)
    RUNTIMES["sim"]       deterministic: one actor at a time, virtual clock (sim.py)
    RUNTIMES["processes"] Linux: the story as real OS processes, pipes and gRPC (processes.py)
    RUNTIMES["go"]        Linux with Go: the story's original Go shim and C engine (go.py)

A new runtime is one module beside these and one entry here; base.py says what each
kind of runtime must offer (RuntimeKind, ActorRuntime, Runtime; launched.py).
"""
from .base import ActorRuntime, Runtime, RuntimeKind, bound_runtime, run_to_end
from .go import GoRuntime
from .processes import ProcessesRuntime
from .schedule import parse_schedule
from .sim import SimRuntime
from .threads import ThreadsRuntime

RUNTIMES: dict[str, type[RuntimeKind]] = {"threads": ThreadsRuntime, "sim": SimRuntime, "processes": ProcessesRuntime,
            "go": GoRuntime}

_default = None


def needs_replay(runtime, what):
    """ValueError unless `runtime` replays its runs exactly (the sim): the one place that
    says so for the schedule knob and for the explorer. `what`: who needs it, in words."""
    if not RUNTIMES[runtime].replayable:
        raise ValueError(f"{what}; set runtime='sim'")


def check_schedule(schedule, runtime, actors=None):
    """The schedule knob: None (no schedule), or a string of at least one move, for the sim
    runtime, whose moves name only `actors` ({code: name}; None: any); ValueError naming it.
    Whether each move fits the run only the run can tell (schedule.py's ScheduledPolicy)."""
    if schedule is None:
        return None
    needs_replay(runtime, "schedule replays the sim runtime's choices")
    moves = parse_schedule(schedule)
    if not moves:
        example = " ".join(list(actors)[:4]) if actors else "S R M E"
        raise ValueError(f"schedule must name at least one move, e.g. {example!r}, got "
                         f"{schedule!r}; for no schedule, leave it out")
    if actors is not None:
        known = {*actors, *actors.values()}
        for who in (move.split("/")[0] for move in moves):
            if who not in known:
                named = ", ".join(f"{code} ({name})" if code != name else name
                                  for code, name in actors.items())
                raise ValueError(f"schedule: this run has no actor {who!r}; its actors: {named}")
    return schedule


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


__all__ = ["RUNTIMES", "ActorRuntime", "GoRuntime", "ProcessesRuntime", "Runtime", "RuntimeKind",
           "SimRuntime", "ThreadsRuntime", "check_schedule", "current", "needs_replay", "now", "run_to_end", "sleep"]
