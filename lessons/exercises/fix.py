"""Notebook 06: a fix that holds on every seed and in every story scenario."""
from lessons.story.scenario import Result, Scenario

from .report import Report, reports_mistakes, right
from .seeds import SEEDS
from .trials import Trials, first_problem


def story_scenarios(base: Scenario) -> Trials:
    """The story's situations, built on `base` (so a learner's knobs carry over)."""
    big = 2 * base.channel_capacity + 8     # "under load": always more than the buffer holds
    return [
        ("the story: a big get, then a ping", base.with_(request_size=big)),
        ("the ping arrives a little later", base.with_(requests=(f"get {big}", "ping @ 0.2"))),
        ("a subscription, a burst of changes, then a ping",
         base.with_(requests=("subscribe prices", f"changes prices {big}", "ping"))),
        ("two big gets", base.with_(requests=(f"get {big}", f"get {big}"))),
        ("a fast client", base.with_(request_size=big, client="fast")),
        ("a client that stops reading", base.with_(request_size=big, client="stalled")),
    ]


@reports_mistakes
def check_fix(design, seeds: range = SEEDS, **knobs) -> Report:
    """A fix must never deadlock, and must complete (no exit) whenever the client reads."""
    scenarios = story_scenarios(Scenario(design=design, **knobs))
    found = first_problem(scenarios, seeds, explain=lambda trial, result: advice(result, knobs))
    if found is not None:
        return found
    return right(f"no deadlock in {len(seeds) * len(scenarios)} runs ({len(seeds)} "
                 f"seeds x {len(scenarios)} story scenarios, with requests bigger "
                 "than any buffer)",
                 "every run with a reading client completed, and the shim never exited")


def advice(result: Result, knobs: dict) -> list[str]:
    """Say why a bigger buffer or another timeout did not help, when that was the attempt."""
    lines = []
    if "channel_capacity" in knobs or "c_buffer_capacity" in knobs or "stream_window" in knobs:
        lines.append("a bigger buffer only moves the threshold: an answer bigger than the "
                     "buffer still fills it while shim.main waits on the engine")
    if "timeout" in knobs and result.outcome == "deadlock":
        lines.append("a timeout does not end a deadlock: the cycle forms just the same, and "
                     "the timer only decides when the shim exits")
    return lines
