"""The little programs the notebooks show and their checks run (sim runtime, seeded).

    swap(capacity, items)          01  two actors that swap items over bounded channels
    lone_engine(request_size, c)   02  the engine alone, with nobody reading notifications
    freeze(scenario)               05  the wait-for graph when a run deadlocks (at that moment) or goes quiet
"""
import random

from lessons.analysis import waitfor
from lessons.analysis.waitfor import WaitFor
from lessons.runtime.observers import Observer
from lessons.runtime.sim import SimRuntime
from lessons.story.engine import engine
from lessons.story.requests import Request
from lessons.story.scenario import Scenario
from lessons.story.system import System
from lessons.story.system_view import system_view


def swap(capacity: int, items: int, seed: int = 0) -> SimRuntime:
    """Two actors each send `items` items to the other, then receive as many; the finished runtime."""
    rt = SimRuntime(seed=seed)
    to_b = rt.chan("to_b", capacity, ["a"], ["b"])
    to_a = rt.chan("to_a", capacity, ["b"], ["a"])

    def actor(out, inbox):
        def body():
            for i in range(items):
                out.send(i)
            for _ in range(items):
                inbox.recv()
        return body

    rt.spawn("a", actor(to_b, to_a))
    rt.spawn("b", actor(to_a, to_b))
    rt.run()
    return rt


def lone_engine(request_size: int, capacity: int, seed: int = 0) -> tuple[int, bool]:
    """An engine whose notifications nobody reads gets `get N` then `ping`: (items buffered, ping answered)."""
    rt = SimRuntime(seed=seed)
    held = {"c_buffer": rt.chan("c_buffer", 4, ["feeder"], ["engine"]),
            "replies": rt.chan("replies", 4, ["engine"], ["feeder"]),
            "notifications": rt.chan("notifications", capacity, ["engine"], ["nobody"])}
    # The engine reads none of the scenario's knobs: the story's defaults stand in.
    box = system_view(Scenario(), held, "the lone engine's demo")
    answered = []

    def feeder():
        box.c_buffer.send(Request(1, "get", None, request_size, None))
        box.c_buffer.send(Request(2, "ping", None, None, None))
        for _ in range(2):
            answered.append(box.replies.recv())

    rt.spawn("engine", lambda: engine(box))
    rt.spawn("feeder", feeder)
    rt.spawn("nobody", lambda: rt.idle(), outside=True)
    rt.run()
    return len(box.notifications), any(r.kind == "ping" for r in answered)


def freeze(scenario: Scenario, steps: int | None = None, system_class: type = System) -> WaitFor:
    """The wait-for graph at the moment `scenario` deadlocks (sim), else when it goes
    quiet, or after `steps` moves when given; the run is stopped before this returns. A
    variant passes its own `system_class` (lessons.story.workshop.WorkshopSystem)."""
    rng = random.Random(scenario.seed)

    def choose(moves, rt):
        if rt.deadlock is not None or (steps is not None and len(rt.tokens) >= steps):
            return None
        return moves[rng.randrange(len(moves))]

    system = system_class(scenario, policy=choose)
    formed = system.rt.watch(DeadlockGraph())
    try:
        system.rt.resume()
        return formed.graph or system.rt.graph()
    finally:
        system.rt.stop()


class DeadlockGraph(Observer):
    """Keeps the graph of the moment a deadlock forms. Taken then, not when the run
    stops: once nobody can move, the sim's clock jumps to the shim's timer, and a graph
    taken after the exit no longer shows the loop."""

    def __init__(self):
        self.graph: WaitFor | None = None

    def noted(self, rt, actor, op, chan, item):
        if op == "deadlock" and self.graph is None:
            self.graph = waitfor.snapshot(rt.views(), rt.now())   # the guard is held here
