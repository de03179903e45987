"""Trying a would-be fix: every scenario on every seed, and what is wrong with a run.

Shared by the fix (notebook 06) and the workshop (notebook 09). A crash in a learner's
goroutine is said as a sentence about their design, never shown as a traceback.
"""
from typing import Callable

from lessons.primitives.errors import Misuse
from lessons.story.picture import cycle_text
from lessons.story.scenario import Result, Scenario, run

from .replay import command_lines, replay_code
from .report import Report, wrong

Trials = list[tuple[str, Scenario]]     # (what the situation is, its scenario)


def first_problem(scenarios: Trials, seeds: range, runner: Callable = run,
                  explain: Callable | None = None) -> Report | None:
    """Run every (label, scenario) on every seed; a "not yet" Report for the first problem, or None."""
    for label, sc in scenarios:
        for seed in seeds:
            trial = sc.with_(seed=seed)
            try:
                result = runner(trial)
            except RuntimeError as err:
                return wrong(f"{label}, seed {seed}: {crash_sentence(err, sc.shim_design)}",
                             evidence=trial, replay=replay_code(trial, runner))
            problem = judge(result, stalled=sc.client == "stalled")
            if problem:
                return wrong(f"{label}, seed {seed}: {problem}", *(explain(trial, result) if explain else []),
                             f"schedule: {result.schedule}",
                             *(command_lines(trial) if runner is run else []),
                             evidence=trial, replay=replay_code(trial, runner))
    return None


def judge(result: Result, stalled: bool) -> str:
    """What is wrong with one run of a would-be fix, or '' when nothing is."""
    if result.outcome == "deadlock":
        return (f"DEADLOCK at t={result.deadlock_at:g} s: {cycle_text(result.cycle)}"
                + (f"; the shim exited at t={result.exit.t:g} s" if result.exit else ""))
    if stalled:
        return ""        # a client that never reads may stall the shim: that is the client's doing
    if result.exit is not None:
        return f"the shim exited at t={result.exit.t:g} s: {result.exit.message}"
    if result.outcome != "completed" and result.delivered == result.expected:
        return (f"{result.answered} of {result.sent} requests answered, though all "
                f"{result.delivered} items arrived: a request counts as answered once its "
                "reply is recorded (shim.ledger.answered.append(reply)); does your design "
                "send every request to the engine and record every reply?")
    if result.outcome != "completed":
        return (f"{result.outcome}: {result.answered} of {result.sent} requests answered, "
                f"{result.delivered} of {result.expected} items delivered")
    return ""


def crash_sentence(err: RuntimeError, design) -> str:
    """An actor's crash (run_to_end's "NAME crashed: ...") as a sentence about the design."""
    actor = str(err).partition(" crashed")[0]
    exc = err.__cause__ or err
    goroutines = {"shim.requests": design.requests_goroutine, "shim.main": design.main_goroutine}
    if actor not in goroutines:
        return (f"{actor} crashed on what your design gave it ({type(exc).__name__}: {exc}); "
                "pass the engine the requests as they came from shim.requests")
    where = f"your {goroutines[actor].__name__} (it runs as {actor}) crashed"
    if isinstance(exc, Misuse):
        return f"{where}: {exc}"
    if isinstance(exc, AttributeError) and "NoneType" in str(exc) and not design.handoff:
        return (f"{where}: it uses shim.handoff, but with engine_caller="
                f"{design.engine_caller!r} there is no handoff: shim.requests calls the engine "
                "itself and hands nothing to shim.main")
    if isinstance(exc, AttributeError):
        return f"{where}: it asks the shim for something the shim does not have ({exc})"
    return f"{where} with {type(exc).__name__}: {exc}"
