"""What a run of the system came to: the one place that decides the outcome and the banner.

Outcomes (docs/design.md, "The public surface"):
    completed   every request was answered and every data item reached the client
    deadlock    some of the system's own actors wait only on each other
    stall       no deadlock, work is pending, and progress waits on the client; always
                with its chain of waits that leads outside
    unfinished  the run reached one of its own bounds first (`bound` names it)
The banner shows SHIM EXITED once the shim's timer fired, else the outcome in capitals
once it is known, else RUNNING. A live run's outcome stays None while it may go on.
"""
from collections import namedtuple
from dataclasses import replace

from lessons.analysis.waitfor import Edge
from lessons.runtime.linux.records import ClientSide

Decision = namedtuple("Decision", "outcome banner stall")
Decision.__doc__ = "`outcome` (None: not known yet), the banner's word, a stall's chain of waits."


def outcome_of(deadlock, done, sent, bound, stalled, over):
    """The one rule, on plain facts: a deadlock was seen; every request sent so far is
    answered and delivered (`sent`: something was); the run hit a bound of its own (or,
    in processes, ended with no verdict confirmed); a stall is seen now; the run is over.
    None while a live run may still go either way."""
    if deadlock:
        return "deadlock"
    if done and (over or sent):
        return "completed"
    if bound:
        return "unfinished"
    if over or stalled:
        return "stall"
    return None


def banner_of(outcome, exited):
    """The banner's word: SHIM EXITED once the timer fired, else the outcome, or RUNNING."""
    return "SHIM EXITED" if exited else (outcome or "running").upper()


def decide(system, over=False):
    """The Decision for `system` now; `over`: its run has ended (nothing more will happen)."""
    rt = system.rt
    stalled = rt.final is not None and rt.final.kind == "stall"   # the last seen, while it lasts
    outcome = outcome_of(rt.deadlock is not None, system.done(), bool(system.ledger.sent),
                         rt.bound is not None, stalled, over)
    chain = []
    if outcome == "stall":
        # Else the items left for a client that does not read (nobody blocks on a send
        # when they all fit).
        chain = rt.stall.chain if rt.stall is not None else unread(system)
    return Decision(outcome, banner_of(outcome, rt.exit is not None), list(chain))


def unread(system):
    """Items waiting in a channel that only the outside reads: the chain of waits from the
    actor that put them there to the reader who must take them."""
    rt = system.rt
    for c in system.channels():
        readers = [rt.actors[n] for n in c.receivers or () if n in rt.actors]
        if len(c) and readers and all(a.outside for a in readers):
            writer = (c.senders or ("?",))[0]
            return [Edge(writer, readers[0].name, c.name, "send")]
    return []


def watched_result(outcome, v, exit, client_view, answered, expected, channels, bound_hit,
                   evidence):
    """The Result's fields of a run watched from outside its processes (processes, go):
    `v` the verdict shown for `outcome`, the client's own ledger of what it sent and got,
    and `evidence` (records.Evidence) with the client's side added."""
    ledger = client_view.ledger
    client = ClientSide([round(t, 6) for t in client_view.requests.sent_at],
                        client_view.stream.failed)
    return {
        "outcome": outcome,
        "cycle": list(v.cycle) if outcome == "deadlock" else [],
        "stuck": list(v.stuck) if outcome == "deadlock" else [],
        "exit": exit,
        "deadlock_at": v.t if outcome == "deadlock" else None,
        "stall": list(v.chain) if outcome == "stall" and v is not None else [],
        "sent": len(ledger.sent), "answered": answered,
        "delivered": len(ledger.delivered), "expected": expected,
        "channels": channels, "bound_hit": bound_hit,
        "evidence": replace(evidence, client=client)}
