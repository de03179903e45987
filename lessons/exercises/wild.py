"""Notebook 10: read a real run's evidence, and predict what real processes report.

    check_follow_pipes(follow_pipes, wild)   10.1  the waits that cross a process boundary
    check_wild_outcome(said)                 10.2  a bigger buffer, in real processes

The learner's function is given the evidence record (runtime/linux/records.py), which
reads as the dict the exercise describes (`evidence["blocked"]`) and by attribute.
"""
from dataclasses import replace

from lessons.runtime.linux.records import Evidence
from lessons.story.scenario import Scenario, run

from .outcome import OUTCOMES, spoken
from .report import Mistake, Report, reports_mistakes, right, wrong

BIGGER_BUFFER = Scenario(design="single", client="slow", channel_capacity=64,
                         runtime="processes", timeout=3)


def pipe_edges(evidence: Evidence) -> set[tuple[str, str, str]]:
    """(actor, channel, process at the pipe's other end) for each pipe a blocked actor
    waits on: a receiver waits for whoever holds the write end, a sender for the reader."""
    edges = set()
    for blocked in evidence.blocked or ():
        for pipe in blocked.pipes or ():
            receiving = f"recv {pipe.channel}" in blocked.waits
            for holder in pipe.write_end if receiving else pipe.read_end:
                edges.add((blocked.actor, pipe.channel, holder.split()[0]))
    return edges


def crossing(edges, evidence: Evidence):
    """The edges whose actor lives in another process than the one it waits for."""
    home = {b.actor: b.process for b in evidence.blocked or ()}
    return sorted(e for e in edges if home.get(e[0]) != e[2])


@reports_mistakes
def check_follow_pipes(follow, result) -> Report:
    """`follow(evidence)` -> a set of (actor, channel, process) triples, compared with the
    pipes a processes run's evidence shows (`result`: that run, deadlocked)."""
    if not getattr(result, "evidence", None):
        return wrong("give the check a run of runtime 'processes' (its result has evidence)")
    truth = pipe_edges(result.evidence)
    said = followed(follow, result.evidence)
    if said != truth:
        return wrong(*differences(said, truth), "a receiver waits for the process holding "
                     "the pipe's write end; a sender for the one holding its read end")
    for alone in one_blocked_at_a_time(result.evidence):
        if followed(follow, alone) != pipe_edges(alone):
            actor = alone.blocked[0].actor
            return wrong("right for this run, but not read from the evidence: given the same "
                         f"evidence with only {actor} blocked, your function should give only "
                         f"{actor}'s waits. Build the set from evidence[\"blocked\"], not by hand")
    hops = "; ".join(f"{a} waits on {c}, whose other end is in the {p} process"
                     for a, c, p in crossing(truth, result.evidence))
    return right(f"all {len(truth)} waits on pipes found", f"the ones that cross: {hops}")


def followed(follow, evidence) -> set:
    """The learner's follow(evidence), as a set of triples; what is wrong with it, a Mistake."""
    try:
        said = follow(evidence)
    except Exception as exc:   # the learner's code: a sentence, never a traceback
        raise Mistake(f"{getattr(follow, '__name__', 'your function')}(evidence) raised "
                      f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(said, (set, list, tuple)) or not all(
            isinstance(e, tuple) and len(e) == 3 for e in said):
        raise Mistake(f"give a set of (actor, channel, process) triples, not {said!r:.80}")
    return set(said)


def differences(said, truth) -> list[str]:
    """What is missing and what is extra, without giving the missing answers away: a
    missing wait is named by its actor and channel, which the evidence shows; the process
    at the other end is what the exercise asks for."""
    missing = sorted({(actor, channel) for actor, channel, _ in truth - said})
    extra = sorted(said - truth)
    return ([f"missing: a triple for {actor} waiting on {channel}" for actor, channel in missing]
            + [f"not in the evidence: {e}" for e in extra[:3]])


def one_blocked_at_a_time(evidence: Evidence):
    """The evidence again, once per blocked actor, as if that actor alone were blocked."""
    for blocked in evidence.blocked or ():
        yield replace(evidence, blocked=[blocked])


@reports_mistakes
def check_wild_outcome(said: str) -> Report:
    """`said` against a real run: the single design with a 64-record notifications pipe,
    the story's requests (a get of 32, then a ping) and a slow client."""
    said = spoken(said)
    if said not in OUTCOMES:
        return wrong(f"say 'completed', 'deadlock' or 'stall', not {said!r}")
    result = run(BIGGER_BUFFER)
    if result.outcome != said:
        return wrong(f"the real processes report {result.outcome.upper()}, not {said.upper()}",
                     *result.summary().splitlines()[:3])
    counts = next(line for line in result.summary().splitlines() if line.startswith("requests:"))
    return right(f"{said.upper()}: {counts}",
                 "the whole answer fits in the pipe, so the engine never sleeps in write() "
                 "and goes on to read the ping; a get bigger than 64 can deadlock it again")
