"""Notebook 12: read a Go goroutine dump as the team did, and predict the Go program.

    check_story_actor(story_actor, dump)   12.1  which goroutine is which actor
    check_go_outcome(said)                 12.2  a bigger buffer, in Go
"""
from lessons.analysis.goroutines import parse
from lessons.story.original import build, reading
from lessons.story.scenario import Scenario, run

from .outcome import OUTCOMES
from .report import Mistake, Report, reports_mistakes, right, wrong

ACTORS = ("shim.requests", "shim.main", "engine")
BIGGER_BUFFER = dict(design="single", client="slow", channel_capacity=64)


@reports_mistakes
def check_story_actor(story_actor, dump: str) -> Report:
    """`story_actor(goroutine)` -> "shim.requests", "shim.main", "engine" or None, for
    every goroutine of `dump` (a goroutine dump, or a look of the shim)."""
    goroutines = parse(dump)
    if not goroutines:
        return wrong("give the check a goroutine dump: the text of a look or of a SIGQUIT")
    for g in goroutines:
        try:
            said = story_actor(g)
        except Exception as exc:   # the learner's code: a sentence, never a traceback
            raise Mistake(f"story_actor(goroutine {g.id}) raised {type(exc).__name__}: {exc}") from exc
        truth = reading.actor_of(g)
        if said != truth:
            return wrong(f"goroutine {g.id} [{g.state}] in {g.top()}: you said {said!r}, "
                         f"it is {truth!r}",
                         "the functions on its stack say who it is: requestsGoroutine, "
                         "mainGoroutine, or goNotify/goReply (the engine's C thread in Go)")
    found = sorted({reading.actor_of(g) for g in goroutines} - {None})
    return right(f"all {len(goroutines)} goroutines placed; the story's: {', '.join(found)}",
                 "every other goroutine is gRPC's, the signal handler's or Go's own runtime")


@reports_mistakes
def check_go_outcome(said: str) -> Report:
    """`said` against the Go program (the sim where Go is not installed): the single design,
    a slow client, the story's requests, `notifications` 64 deep."""
    if said not in OUTCOMES:
        return wrong(f"say 'completed', 'deadlock' or 'stall', not {said!r}")
    why = build.missing()
    runtime = "go" if why is None else "sim"
    result = run(Scenario(runtime=runtime, timeout=5.0 if runtime == "go" else None,
                          **BIGGER_BUFFER))
    where = "the Go program" if runtime == "go" else f"the model (Go is not here: {why})"
    if result.outcome != said:
        return wrong(f"{where} reports {result.outcome.upper()}, not {said.upper()}")
    return right(f"{where}: {said.upper()}",
                 "all 32 items fit in the channel: the engine never blocks in goNotify and goes "
                 "on to read the ping; a get of more than 64 can deadlock it again")
