"""Notebook 11: fix a case of the casebook, and let the explorer check the fix.

    check_stopper_fix(stopper)               # wait-under-lock: stopper(mu, tasks)
    check_activation_fix(waiter, activator)  # lost-signal: each (mu, activated, active)

A fix is right when the explorer proves the program free of deadlock (every schedule, not
a sample) and it still does its job: in random runs it completes, and the trace shows the
work was done (the stopper waited for its task; the waiter went on only once the plugin
was activated). An empty function has no deadlock either; that is not a fix.
"""
from lessons.cases import lost_signal, wait_under_lock
from lessons.explore import explore
from lessons.runtime.program import run_program

from .report import UNNAMED, Report, all_named, code_lines, reports_mistakes, right, wrong

SEEDS = range(20)


@reports_mistakes
def check_stopper_fix(stopper) -> Report:
    """wait-under-lock: the stopper must wait for the task, and never deadlock."""
    def job_done(trace):
        did = {(e.actor, e.op, e.chan) for e in trace}
        if ("stopper", "wait", "tasks") not in did:
            return "the stopper never waited for the tasks (tasks.wait()): it must, to stop"
        return None
    return check_fix(wait_under_lock.program(stopper), [stopper], job_done,
                     "lessons.cases.wait_under_lock", f"program({_name(stopper)})")


@reports_mistakes
def check_activation_fix(waiter, activator) -> Report:
    """lost-signal: the waiter must go on only once the plugin is activated."""
    def job_done(trace):
        activated = [i for i, e in enumerate(trace) if e.actor == "activator"
                     and e.op in ("signal", "broadcast", "send", "close")]
        waited = [i for i, e in enumerate(trace) if e.actor == "waiter"]
        if not activated:
            return "the activator never told anyone: it must signal, or set what the waiter reads"
        if not waited or waited[-1] < activated[0]:
            return ("the waiter went on before the plugin was activated: it must wait "
                    "until it is")
        return None
    return check_fix(lost_signal.program(waiter, activator), [waiter, activator], job_done,
                     "lessons.cases.lost_signal",
                     f"program({_name(waiter)}, {_name(activator)})")


def check_fix(program, functions, job_done, module, call):
    """The explorer's proof, then random runs that must complete and do the job."""
    try:
        found = explore(program, max_seconds=30)
    except RuntimeError as exc:     # an actor crashed in some schedule: the learner's code
        cause = exc.__cause__ or exc
        return wrong(f"an actor crashed in some schedule: {type(cause).__name__}: {cause}")
    named = all_named(*functions)
    if found.verdict == "deadlock":
        why = found.reason if not found.cycle else "; ".join(
            f"{e.actor} waits for {e.waits_for} ({e.op} {e.chan})" for e in found.cycle)
        replay = (code_lines(("lessons", ["run_program"]), (module, ["program"]),
                             call=f"print(run_program({call}, schedule={found.schedule!r})"
                                  ".summary())") if named else UNNAMED)
        return wrong(f"the explorer finds a deadlock in {len(found.schedule_tokens())} moves: "
                     f"{why}", f"its schedule: {found.schedule}", replay=replay)
    if found.verdict != "no-deadlock":
        return wrong(f"the explorer could not finish ({found.bound}): keep the fix as small "
                     "as the program")
    for seed in SEEDS:
        run = run_program(program, seed=seed)
        problem = (f"it ends {run.outcome.upper()}, not COMPLETED"
                   if run.outcome != "completed" else job_done(run.trace))
        if problem is not None:
            replay = (code_lines(("lessons", ["run_program"]), (module, ["program"]),
                                 call=f"print(run_program({call}, seed={seed}).summary())")
                      if named else UNNAMED)
            return wrong(f"seed {seed}: {problem}", replay=replay)
    return right(f"the explorer proves no deadlock in any schedule ({found.states} states), "
                 f"and it did its job in {len(SEEDS)} random runs")


def _name(fn):
    return getattr(fn, "__name__", "your_function")
