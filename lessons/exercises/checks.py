"""The exercises' checks: each one says what is right, what is wrong, and which run shows it.

Every check runs the model (the sim runtime, never widgets), so notebooks and tests call
the same functions. A check returns a `Report`: true when the answer is right, and
printable as a few plain lines that end, when something is wrong, with the exact run
(scenario, seed, schedule) that shows it, so the learner can replay it.

    check_outcome(said, ..) 00  predict how a run ends
    check_swap(fn)          01  predict when two actors that swap items deadlock
    check_engine(fn)        02  predict what a lone engine does when nobody reads
    check_happy(requests)   03  requests the single design always completes
    check_threshold(fn)     04  the smallest request that can deadlock the single design
    check_classifier(fn)    05  tell deadlock, stall and fine apart from a wait-for graph
    check_fix(design)       06  a fix that holds on every seed and every story scenario
    check_schedule(s, want) 07  a schedule string that makes the run end as you say
    check_workshop(design)  09  the capstone's fix (see lessons/workshop.py)
"""
import random
from dataclasses import dataclass, field

from lessons.analysis import waitfor
from lessons.story.scenario import Scenario, run
from lessons.story.shim import Design
from lessons.runtime.sim import SimRuntime
from lessons.story.system import System

SEEDS = range(20)          # how many seeds a check tries, unless told otherwise
RIGHT, WRONG = "✓", "✗"


@dataclass
class Report:
    """What a check found: `passed`, plain lines, and the run that shows a problem."""
    passed: bool
    lines: list = field(default_factory=list)
    evidence: object = None     # the Scenario (with seed or schedule) that shows it

    def __bool__(self):
        return self.passed

    def __str__(self):
        head = f"{RIGHT} right" if self.passed else f"{WRONG} not yet"
        return "\n".join([head] + [f"  {line}" for line in self.lines])

    __repr__ = __str__


def _right(*lines):
    return Report(True, list(lines))


def _wrong(*lines, evidence=None):
    return Report(False, list(lines), evidence)


def replay_hint(sc):
    """How to see a run again, in Python (and on the command line when it can be said there)."""
    defaults = Scenario.__dataclass_fields__
    knobs = {k: getattr(sc, k) for k in defaults if getattr(sc, k) != defaults[k].default}
    if sc.requests:
        knobs["requests"] = list(sc.requests)
    args = ", ".join(f"{k}={v!r}" if not isinstance(v, Design) else f"{k}=<your design {v.name!r}>"
                     for k, v in knobs.items())
    line = f"see it again: run(Scenario({args}))"
    if not isinstance(sc.design, Design):
        line += f"\n  or: {sc.command()}"
    return line


# -- 00: predict an outcome ------------------------------------------------------------------

def check_outcome(said, seeds=range(5), **knobs):
    """`said` ('completed', 'deadlock' or 'stall') against runs of Scenario(**knobs) on `seeds`."""
    if said not in ("completed", "deadlock", "stall"):
        return _wrong(f"say 'completed', 'deadlock' or 'stall', not {said!r}")
    base = Scenario(**knobs)
    for seed in seeds:
        result = run(base.with_(seed=seed))
        if result.outcome != said:
            return _wrong(f"seed {seed} ends {result.outcome.upper()}, not {said.upper()}",
                          *result.summary().splitlines()[:2], replay_hint(base.with_(seed=seed)),
                          evidence=base.with_(seed=seed))
    return _right(f"all {len(seeds)} seeds end {said.upper()}")


# -- 01: two actors that swap items ---------------------------------------------------------

def swap(capacity, items, seed=0):
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


def check_swap(deadlocks):
    """`deadlocks(capacity, items)` -> bool, compared with the sim for small sizes."""
    for capacity in range(1, 4):
        for items in range(1, 6):
            rt = swap(capacity, items)
            actual = rt.deadlock is not None
            said = bool(deadlocks(capacity, items))
            if said != actual:
                what = "deadlocks" if actual else "finishes"
                return _wrong(f"you said {'deadlock' if said else 'no deadlock'} for capacity "
                              f"{capacity} and {items} items; the sim says it {what}",
                              f"see it again: swap({capacity}, {items}).deadlock")
    return _right("your rule matches the sim for capacities 1-3 and 1-5 items",
                  "each side can park `capacity` items in the other's channel; one more "
                  "and both wait to send, with nobody left to receive")


# -- 02: the engine alone -------------------------------------------------------------------

def lone_engine(request_size, capacity, seed=0):
    """An engine whose notifications nobody reads gets `get N` then `ping`: (items buffered, ping answered)."""
    from types import SimpleNamespace
    from lessons.story.engine import engine
    from lessons.story.requests import Request

    rt = SimRuntime(seed=seed)
    box = SimpleNamespace(
        c_buffer=rt.chan("c_buffer", 4, ["feeder"], ["engine"]),
        replies=rt.chan("replies", 4, ["engine"], ["feeder"]),
        notifications=rt.chan("notifications", capacity, ["engine"], ["nobody"]))
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


def check_engine(predict):
    """`predict(request_size, capacity)` -> (items left in notifications, was the ping answered)."""
    for capacity in (1, 2, 4):
        for size in (1, capacity, capacity + 1, 3 * capacity):
            actual = lone_engine(size, capacity)
            said = tuple(predict(size, capacity))
            if said != actual:
                return _wrong(f"get {size} then ping, notifications capacity {capacity}: you said "
                              f"{said}, the engine gives {actual}",
                              f"see it again: lone_engine({size}, {capacity})")
    return _right("the engine fills notifications, then stops whole: a request behind a "
                  "blocked answer is never even read while the answer does not fit")


# -- 03: a happy run of the single design ---------------------------------------------------

def check_happy(requests, seeds=SEEDS, **knobs):
    """Requests with a get bigger than the buffer, and a ping, that the single design always completes."""
    sc = Scenario(design="single", requests=tuple(requests), **knobs)
    script = sc.script()
    big = [r for r in script if r.kind == "get" and r.count > sc.channel_capacity]
    if not big or not any(r.kind == "ping" for r in script):
        return _wrong(f"ask for more than the buffer holds (a get bigger than {sc.channel_capacity}) "
                      "and send a ping too: otherwise the danger never comes near")
    for seed in seeds:
        result = run(sc.with_(seed=seed))
        if result.outcome != "completed":
            return _wrong(f"seed {seed}: {result.outcome}" + (f", cycle {cycle_words(result)}"
                                                              if result.cycle else ""),
                          "a request that arrives while the answer is still streaming can hit "
                          "shim.main while it waits on the engine",
                          replay_hint(sc.with_(seed=seed)), evidence=sc.with_(seed=seed))
    return _right(f"completed on all {len(seeds)} seeds: every request arrives after the big "
                  "answer has drained, so shim.main is never asked to wait on the engine while "
                  "notifications is full",
                  "note what made it safe: timing, not the code")


def cycle_words(result):
    from lessons.story.picture import cycle_text
    return cycle_text(result.cycle)


# -- 04: the threshold -----------------------------------------------------------------------

def deadlock_seed(sc, seeds):
    """The first seed on which `sc` deadlocks, or None."""
    return next((s for s in seeds if run(sc.with_(seed=s)).outcome == "deadlock"), None)


def check_threshold(smallest, seeds=range(30)):
    """`smallest(channel_capacity)` -> the smallest request_size that can deadlock the single design."""
    for capacity in range(1, 7):
        n = smallest(capacity)
        if not isinstance(n, int) or n < 1:
            return _wrong(f"for capacity {capacity} you gave {n!r}; give a whole number >= 1")
        sc = Scenario(channel_capacity=capacity, request_size=n)
        seed = deadlock_seed(sc, seeds)
        if seed is None:
            return _wrong(f"capacity {capacity}, request_size {n}: no deadlock on seeds "
                          f"{seeds.start}-{seeds.stop - 1}; the answer fits in the buffer, so "
                          "the engine finishes it and then reads the ping")
        if n > 1:
            below = sc.with_(request_size=n - 1)
            seed = deadlock_seed(below, seeds)
            if seed is not None:
                return _wrong(f"capacity {capacity}: request_size {n - 1} already deadlocks "
                              f"(seed {seed}); yours is not the smallest",
                              replay_hint(below.with_(seed=seed)), evidence=below.with_(seed=seed))
    return _right("capacity + 1: the first item that does not fit blocks the engine; "
                  "from then on a second request is enough",
                  "so a bigger buffer moves the threshold; it does not remove it")


# -- 05: classify a wait-for graph ----------------------------------------------------------

def freeze(scenario, steps=None, system_class=System):
    """The wait-for graph when `scenario` first deadlocks or goes quiet (sim), or after
    `steps` moves when given; the run is stopped before this returns. A variant passes
    its own `system_class` (lessons.workshop.WorkshopSystem)."""
    rng = random.Random(scenario.seed)

    def choose(moves, rt):
        if rt.deadlock is not None or (steps is not None and len(rt.tokens) >= steps):
            return None
        return moves[rng.randrange(len(moves))]

    system = system_class(scenario, policy=choose)
    try:
        system.rt.resume()
        return system.rt.graph()
    finally:
        system.rt.stop()


def graph_cases():
    """(label, graph, right answer) over both designs, three clients, frozen and midway."""
    cases = []
    for design in ("single", "split"):
        for client in ("fast", "slow", "stalled"):
            for seed in range(3):
                sc = Scenario(design=design, client=client, seed=seed,
                              requests=("get 12",) if client == "stalled" and design == "split"
                              else None)
                for label, g in ((f"{design}, {client} client, seed {seed}, when it settled",
                                  freeze(sc)),
                                 (f"{design}, {client} client, seed {seed}, after 12 moves",
                                  freeze(sc, steps=12))):
                    v = waitfor.verdict(g)
                    cases.append((label, g, v.kind if v else None))
    return cases


def check_classifier(classify):
    """`classify(graph)` -> 'deadlock', 'stall' or None, compared with lessons.waitfor on many graphs."""
    cases = graph_cases()
    for label, g, answer in cases:
        said = classify(g)
        if said != answer:
            edges = "; ".join(f"{e.actor} -({e.op} {e.chan})-> {e.waits_for}" for e in g.edges)
            return _wrong(f"{label}: you said {said!r}, the answer is {answer!r}",
                          f"its edges: {edges or 'none'}",
                          "blocked: " + (", ".join(g.blocked()) or "nobody")
                          + "; outside: " + ", ".join(n.name for n in g.nodes.values() if n.outside))
    kinds = sorted({str(a) for _, _, a in cases})
    return _right(f"all {len(cases)} graphs classified right ({', '.join(kinds)})")


# -- 06: the fix ----------------------------------------------------------------------------

def story_scenarios(base):
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


def check_fix(design, seeds=SEEDS, **knobs):
    """A fix must never deadlock, and must complete (no exit) whenever the client reads."""
    base = Scenario(design=design, **knobs)
    scenarios = story_scenarios(base)
    found = first_problem(scenarios, seeds, run,
                          lambda trial, result: [*advice(result, knobs), replay_hint(trial)])
    if found is not None:
        return found
    return _right(f"no deadlock in {len(seeds) * len(scenarios)} runs ({len(seeds)} "
                           f"seeds x {len(scenarios)} story scenarios, with requests bigger "
                           "than any buffer)",
                           "every run with a reading client completed, and the shim never exited")


def first_problem(scenarios, seeds, runner, explain):
    """Run every (label, scenario) on every seed; a wrong Report for the first problem, or None."""
    for label, sc in scenarios:
        for seed in seeds:
            trial = sc.with_(seed=seed)
            try:
                result = runner(trial)
            except RuntimeError as exc:
                return _wrong(f"{label}, seed {seed}: {exc}", evidence=trial)
            problem = judge(result, stalled=sc.client == "stalled")
            if problem:
                return _wrong(f"{label}, seed {seed}: {problem}", *explain(trial, result),
                              f"schedule: {result.schedule}", evidence=trial)
    return None


def judge(result, stalled):
    """What is wrong with one run of a would-be fix, or '' when nothing is."""
    if result.outcome == "deadlock":
        return (f"DEADLOCK at t={result.deadlock_at:g} s: {cycle_words(result)}"
                + (f"; the shim exited at t={result.exit.t:g} s" if result.exit else ""))
    if stalled:
        return ""        # a client that never reads may stall the shim: that is the client's doing
    if result.exit is not None:
        return f"the shim exited at t={result.exit.t:g} s: {result.exit.message}"
    if result.outcome != "completed":
        return (f"{result.outcome}: {result.answered} of {result.sent} requests answered, "
                f"{result.delivered} of {result.expected} items delivered")
    return ""


def advice(result, knobs):
    """Say why a bigger buffer or another timeout did not help, when that was the attempt."""
    lines = []
    if "channel_capacity" in knobs or "c_buffer_capacity" in knobs or "stream_window" in knobs:
        lines.append("a bigger buffer only moves the threshold: an answer bigger than the "
                     "buffer still fills it while shim.main waits on the engine")
    if "timeout" in knobs and result.outcome == "deadlock":
        lines.append("a timeout does not end a deadlock: the cycle forms just the same, and "
                     "the timer only decides when the shim exits")
    return lines


# -- 07: schedules --------------------------------------------------------------------------

def check_schedule(schedule, want="deadlock", seeds=range(10), **knobs):
    """Replay `schedule` on a small story (get 4, then ping; notifications holds 2).

    want="deadlock": the deadlock must form within your moves (nothing left to chance).
    want="completed": after your moves, the run must complete whatever the scheduler does
    next (tried with `seeds`).
    """
    knobs = {"channel_capacity": 2, "request_size": 4, **knobs}
    try:
        sc = Scenario(schedule=schedule, **knobs)
        stepped = System(sc, policy="step")
        try:
            stepped.rt.resume()
            formed = stepped.rt.deadlock
        finally:
            stepped.rt.stop()
        if stepped.rt.errors:
            raise stepped.rt.errors[0][1]
    except ValueError as exc:
        return _wrong(f"that schedule cannot be replayed: {exc}")
    if want == "deadlock":
        if formed is None:
            return _wrong("after your moves no deadlock has formed yet: some actor can still "
                          "move. Keep going until shim.main waits on replies while the engine "
                          "waits on a full notifications", replay_hint(sc), evidence=sc)
        from lessons.story.picture import cycle_text
        return _right(f"DEADLOCK within your moves: {cycle_text(formed.cycle)}",
                      f"anyone can replay it: {sc.command()}")
    for seed in seeds:
        trial = sc.with_(seed=seed)
        result = run(trial)
        if result.outcome != want:
            return _wrong(f"after your moves, seed {seed} ends {result.outcome.upper()}, not "
                          f"{want.upper()}", f"the whole run: {result.schedule}",
                          replay_hint(trial), evidence=trial)
    return _right(f"after your moves the run ends {want.upper()} on all {len(seeds)} seeds")


# -- 09: the workshop -----------------------------------------------------------------------

def check_workshop(design, seeds=SEEDS):
    """The capstone: no deadlock, and completion, in every callback scenario on every seed."""
    from lessons.story.workshop import run_workshop, workshop_scenarios
    scenarios = workshop_scenarios(design)
    found = first_problem(scenarios, seeds, run_workshop, lambda trial, result: [
        f"see it again: run_workshop(Scenario(design=..., requests={list(trial.requests)!r}, "
        f"seed={trial.seed}))"])
    if found is not None:
        return found
    return _right(f"no deadlock and every request answered in "
                           f"{len(seeds) * len(scenarios)} runs")
