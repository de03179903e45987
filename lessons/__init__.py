"""Deadlock in the Wild: the client/shim/engine system, its runtimes and its analysis.

    from lessons import Scenario, run
    result = run(Scenario(design="single", client="slow", runtime="sim", seed=3))
    found = explore(Scenario(client="fast", channel_capacity=1, requests=["get 2", "ping"]))

The folders are layers; each imports only from the ones above it in this list:
    primitives/  channels, locks, and their rules on plain values (rules.py)
    analysis/    the wait-for graph and its verdicts, on plain values
    runtime/     actors and the runtimes that run them (sim, threads), observers, schedules
    story/       the incident's system: requests, engine, client, shim designs, Scenario, run
    cases/       real blocking bugs from Go projects, each a buggy and a fixed program
    explore/     every schedule of a small run, by the runtime's own rules
    tools/       live runs (in processes too), step mode, sweeps, stacks at exit
    exercises/   the notebooks' checks and the little programs they show
    views/       widgets and drawings (nothing below imports them)
    cli/         python -m lessons ...
"""
from lessons.explore import Exploration, explore
from lessons.primitives.chan import Chan, select
from lessons.primitives.errors import Cancelled, Closed, Misuse, Timeout, WouldBlock
from lessons.runtime import SimRuntime, ThreadsRuntime, current, now, sleep
from lessons.runtime.program import ProgramResult, run_program
from lessons.story.scenario import Result, Scenario, run
from lessons.story.shim import Design

__all__ = ["Chan", "select", "Cancelled", "Closed", "Misuse", "Timeout", "WouldBlock",
           "current", "now", "sleep", "Result", "Scenario", "run", "Design", "SimRuntime",
           "ThreadsRuntime", "Exploration", "explore", "run_program", "ProgramResult"]
