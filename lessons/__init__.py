"""Deadlock in the Wild: the client/shim/engine system, its runtimes and its analysis.

    from lessons import Scenario, run
    result = run(Scenario(design="single", client="slow", runtime="sim", seed=3))
    found = explore(Scenario(client="fast", channel_capacity=1, requests=["get 2", "ping"]))
"""
from .chan import Chan, select
from .errors import Cancelled, Closed, Misuse, Timeout, WouldBlock
from .explore import Exploration, explore
from .runtime import current, now, sleep
from .scenario import Result, Scenario, run
from .shim import Design
from .sim import SimRuntime
from .threads import ThreadsRuntime

__all__ = ["Chan", "select", "Cancelled", "Closed", "Misuse", "Timeout", "WouldBlock",
           "current", "now", "sleep", "Result", "Scenario", "run", "Design", "SimRuntime",
           "ThreadsRuntime", "Exploration", "explore"]
