"""Notebook 03: requests that the single design always completes."""
from lessons.story.picture import cycle_text
from lessons.story.scenario import Scenario, run

from .replay import command_lines, replay_code
from .report import Report, reports_mistakes, right, wrong
from .seeds import SEEDS


@reports_mistakes
def check_happy(requests: list[str], seeds: range = SEEDS, **knobs) -> Report:
    """Requests with a get bigger than the buffer, and a ping, that the single design always completes."""
    sc = Scenario(design="single", requests=tuple(requests), **knobs)
    script = sc.script()
    big = [r for r in script if r.kind == "get" and r.count > sc.channel_capacity]
    if not big or not any(r.kind == "ping" for r in script):
        return wrong(f"ask for more than the buffer holds (a get bigger than {sc.channel_capacity}) "
                     "and send a ping too: otherwise the danger never comes near")
    for seed in seeds:
        trial = sc.with_(seed=seed)
        result = run(trial)
        if result.outcome != "completed":
            return wrong(f"seed {seed}: {result.outcome}"
                         + (f", cycle {cycle_text(result.cycle)}" if result.cycle else ""),
                         WHY_NOT[result.outcome], *command_lines(trial),
                         evidence=trial, replay=replay_code(trial))
    return right(f"completed on all {len(seeds)} seeds: {why_safe(script, big[0])}",
                 "note what made it safe: timing, not the code")


# Why a run did not complete, in the words that fit its outcome.
WHY_NOT = {
    "deadlock": "a request that arrives while the answer is still streaming can hit "
                "shim.main while it waits on the engine",
    "stall": "the client stopped reading: the stream is full and the chain of waits ends at "
             "the client, outside the system; no timing of requests helps a client that "
             "does not read",
    "unfinished": "the run reached its own bound before it ended: ask for fewer items",
}


def why_safe(script, big) -> str:
    """Why requests that completed on every seed were safe, true of their order."""
    after = script[script.index(big) + 1:]
    if not after:
        return ("nothing is asked after the big get, so shim.main is never asked to wait on "
                "the engine while the big answer fills notifications")
    return ("every request after the big get arrives once its answer has drained, so "
            "shim.main is never asked to wait on the engine while notifications is full")
