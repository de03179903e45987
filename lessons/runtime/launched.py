"""Runtimes the story launches as OS processes of their own (processes.py, go.py).

Neither is built by `for_run` for a run in this process: `run(Scenario(runtime=...))`
goes to the story's own launcher (story/processes/, story/original/). What each says
when something asks it for an in-process run is written once, here.
"""
from .base import RuntimeKind


class LaunchedRuntime(RuntimeKind):
    """A runtime whose runs are separate processes; a subclass says what it runs
    (`runs`), how else it can be reached (`also`) and who needs another runtime."""
    separate_processes = True   # the story launches it; no in-process System
    runs = "?"                  # what a run of it is, in words
    also = " only"              # other ways than run(Scenario(runtime=...)), in words
    others = "?"                # what needs runtime 'threads' or 'sim' instead

    @classmethod
    def for_run(cls, seed=0, policy="random", schedule=None):
        raise ValueError(f"runtime {cls.kind} runs {cls.runs}, through "
                         f"run(Scenario(runtime={cls.kind!r})){cls.also}; {cls.others} "
                         f"need runtime 'threads' or 'sim'")
