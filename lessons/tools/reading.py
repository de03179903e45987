"""What every live run shows and how it takes its scenario: shared by live.py (threads and
sim in this process) and live_processes.py (real processes), neither importing the other.
"""
from dataclasses import dataclass

from lessons.analysis.waitfor import Verdict, WaitFor
from lessons.runtime import RUNTIMES
from lessons.runtime.actor import Event, Exit

LIVE_THREADS_TIMEOUT = 3.0   # the shim's timer in a live real-time run: short enough to watch


@dataclass(frozen=True)
class Reading:
    """What a live run shows now, as plain values (what the control room paints)."""
    word: str                  # the banner's word (READY before the first click)
    now: float                 # the run's clock
    depths: tuple              # (channel, items waiting, capacity) per channel
    graph: WaitFor | None      # the wait-for graph now, and its verdict
    verdict: Verdict | None
    exit: Exit | None          # the shim's exit, once its timer fired
    formed: float | None       # when the deadlock formed
    events: tuple[Event, ...]  # the last events


def live_scenario(scenario):
    """The scenario as a live run uses it: a real-time run gets a timer one can sit through."""
    if not RUNTIMES[scenario.runtime].virtual_clock and scenario.timeout is None:
        return scenario.with_(timeout=LIVE_THREADS_TIMEOUT)
    return scenario
