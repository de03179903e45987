"""Notebook 00: predict how a run ends."""
from lessons.story.scenario import Scenario, run

from .replay import command_lines, replay_code
from .report import Report, reports_mistakes, right, wrong

OUTCOMES = ("completed", "deadlock", "stall")


@reports_mistakes
def check_outcome(said: str, seeds: range = range(5), **knobs) -> Report:
    """`said` ('completed', 'deadlock' or 'stall') against runs of Scenario(**knobs) on `seeds`."""
    said = spoken(said)
    if said not in OUTCOMES:
        return wrong(f"say 'completed', 'deadlock' or 'stall', not {said!r}")
    base = Scenario(**knobs)
    for seed in seeds:
        trial = base.with_(seed=seed)
        result = run(trial)
        if result.outcome != said:
            return wrong(f"seed {seed} ends {result.outcome.upper()}, not {said.upper()}",
                         *result.summary().splitlines()[:2], *command_lines(trial),
                         evidence=trial, replay=replay_code(trial))
    return right(f"all {len(seeds)} seeds end {said.upper()}")


def spoken(said):
    """An outcome as a learner may write it ("Deadlock", " STALL"): the word, lower case."""
    return said.strip().lower() if isinstance(said, str) else said
