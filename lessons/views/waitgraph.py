"""The wait-for graph drawn: who waits on whom, right now.

Actors are nodes (the client in an "outside" box on the left, the shim and the engine
inside the system, always in the same places), each wait is an edge labelled with its
operation and channel. A deadlock reads as a vermillion, thick, solid loop inside the
system; a stall as an orange, thick, dashed chain that leaves it for the client; a wait
the shim's timer has ended is dotted. Stuck actors (they can never move again) are
shaded and say STUCK; the actor that exited has cut corners. The caption says it all in
one sentence. A leak (an actor blocked with nobody left who could release it) is drawn
as its wait, vermillion, thick and solid as a loop's, into a grey "nobody left" box with
a dashed border. The verdict drawn and stated is the run's own, the one it recorded or
confirmed (docs/design.md, "One verdict per run"); the graph only says who waits on whom.

    wait_for_graph(live)      # a LiveRun, a Stepper or a System: drawn now
    wait_for_graph(result)    # a program's result (run_program): drawn as it ended
    wait_for_graph(result)    # a Result of runtime processes: drawn as it was at the
                              # verdict, processes as boxes, each wait with the system
                              # call and pipe it rested on in the kernel
"""
import math

from lessons.analysis import waitfor
from lessons.analysis.waitfor import doing
from lessons.runtime.program import ProgramResult

from .diagram import Arrow, Box, Diagram, show
from .palette import CHAIN, CYCLE, EXITED_FILL, STUCK_FILL

# Where each of the story's actors sits when matplotlib has to lay it out.
POSITIONS = {"client.send": (0, 1), "client.recv": (0, -1), "shim.requests": (3.2, 1),
             "shim.main": (3.2, -1), "engine": (6.4, 0)}
# The story's actors, left to right: the outside, the shim, the engine.
ORDER = [("client.send", "shim.requests", "engine"), ("client.recv", "shim.main", "engine")]
GROUPS = {("outside",): ("outside: the gRPC client", "#eaf1fb"),
          ("system",): ("the system", "#fbfbf6"),
          ("system", "shim"): ("shim (Go process)", "#f3f3ea"),
          ("system", "engine"): ("engine (C process)", "#f3f3ea")}


def wait_for_graph(source):
    """Draw the wait-for graph of a LiveRun, Stepper or System as it is now (or of a
    processes run's Result, as it was when its verdict was taken)."""
    return show(diagram_of(source))


def diagram_of(source):
    if isinstance(source, ProgramResult):     # a program's run: as it ended
        return wait_for_diagram(source.graph, source.verdict)
    if hasattr(source, "reading"):    # a live run (threads, sim or processes): as it is now
        r = source.reading()
        if r.graph is None:
            return None                   # a processes run before its first click
        return wait_for_diagram(r.graph, r.verdict, r.exit,   # a deadlock: when it formed
                                rests_on_of(source.evidence()), process_groups(source.pids()))
    if not hasattr(source, "rt"):
        return processes_diagram(source)
    rt = source.rt
    return wait_for_diagram(rt.graph(), rt.deadlock or rt.final, rt.exit)


def processes_diagram(result):
    """The wait-for graph a processes (or Go) run recorded at its verdict, with the
    verdict its Result records (`outcome`, `cycle`, `stuck`, `stall`)."""
    ev = result.evidence
    g = ev.graph if ev.graph is not None else waitfor.WaitFor({}, [], 0.0)
    pids = {role: proc.pid for role, proc in (ev.processes or {}).items()}
    return wait_for_diagram(g, recorded(result, g.t), result.exit, rests_on_of(ev),
                            process_groups(pids), at_verdict=True)


def recorded(result, t=0.0):
    """The verdict a Result records, as a waitfor.Verdict (None unless a deadlock or a
    stall); `t`: when it formed, if the Result does not say."""
    if result.outcome not in ("deadlock", "stall"):
        return None
    formed = result.deadlock_at if result.deadlock_at is not None else t
    return waitfor.Verdict(result.outcome, list(result.cycle), list(result.stuck),
                           list(result.stall), formed)


def rests_on_of(evidence):
    """(actor, channel) -> the system call and pipe each blocked wait rested on, from a
    processes run's evidence (empty before a verdict, and in the other runtimes)."""
    rests_on = {}
    for b in evidence.blocked or ():
        syscall = b.kernel.syscall if b.kernel is not None else None
        for p in b.pipes or ():
            rests_on[(b.actor, p.channel)] = f"{syscall} pipe:[{p.inode}]"
    return rests_on


def process_groups(pids):
    """The boxes, each process's with its pid (`pids`: role -> pid; empty: no pids)."""
    groups = dict(GROUPS)
    for role in ("shim", "engine"):
        if role in pids:
            label, fill = GROUPS[("system", role)]
            groups[("system", role)] = (f"{label[:-1]}, pid {pids[role]})", fill)
    if "caller" in pids:
        groups[("outside",)] = (f"{GROUPS[('outside',)][0]} (pid {pids['caller']})",
                                GROUPS[("outside",)][1])
    return groups


def wait_for_diagram(g, verdict=None, exit=None, rests_on=None, groups=GROUPS, at_verdict=False):
    """A Diagram of the snapshot `g` (waitfor.WaitFor) with the run's verdict.

    `verdict`: the one the run recorded or confirmed (rt.deadlock or rt.final, a
    processes run's confirmed one, a Result's), drawn as it is: the graph says who waits
    on whom, never a verdict of its own (a processes run's board may show a loop the
    kernel has not confirmed). Its loop or stall chain stays drawn once a timer has ended
    one of its waits, dotted where the wait is gone: that wait is why the timer fired.
    `exit`: the shim's runtime.Exit, if any. `rests_on`: (actor, channel) -> what the
    wait rests on in the kernel (processes). `at_verdict`: `g` is the graph the run
    recorded with its verdict (a Result's), not its latest look (a live run's).
    """
    rests_on = rests_on or {}
    v = verdict
    formed = v if v is not None and v.kind == "deadlock" else None
    loop = {(e.actor, e.waits_for, e.chan) for e in (formed.cycle if formed else ())}
    chain = {(e.actor, e.waits_for, e.chan) for e in (v.chain if v else ())}
    stuck = set(v.stuck if v else ())
    nodes = [actor_box(node, i, len(g.nodes), exit, stuck, loop)
             for i, node in enumerate(g.nodes.values())]
    edges, drawn = [], set()
    for e in g.edges:
        key = (e.actor, e.waits_for, e.chan)
        kind = "loop" if key in loop else "chain" if key in chain else "wait"
        edges.append(wait_arrow(e, kind, ended=exit is not None and e.actor == exit.actor,
                                where=rests_on.get((e.actor, e.chan))))
        drawn.add(key)
    for e in (formed.cycle if formed else []) + (v.chain if v else []):
        if (e.actor, e.waits_for, e.chan) not in drawn:
            edges.append(wait_arrow(e, "loop" if formed else "chain", ended=True))
    leaks = leaked(g, stuck) if formed is not None and not formed.cycle else []
    if leaks:
        nodes.append(Box(NOBODY, "nobody left\n(every partner finished)", (), (3, -3),
                         fill="#eeeeee", marks="dashed"))
        edges += [Arrow(name, NOBODY, f"{op} {chan}", CYCLE, bold=True)
                  for name in leaks for op, chan in g.nodes[name].doing]
    order = [[a for a in chain if a in g.nodes] for chain in ORDER]
    return Diagram(f"{seen_at(g.t, exit, at_verdict)}:\n{headline(v, exit)}", nodes, edges,
                   groups, rankdir="LR", caption=caption(g.t, v, exit),
                   order=[c for c in order if len(c) > 1])


NOBODY = "nobody left"


def leaked(g, stuck):
    """The stuck actors that wait on nobody: every partner they had has finished."""
    return [name for name in stuck if name in g.nodes
            and waitfor.leaked(g.nodes[name], g.targets(name))]


def actor_box(node, i, n, exit, stuck, loop):
    exited = exit is not None and exit.actor == node.name
    in_loop = any(node.name == a for a, _, _ in loop)
    is_stuck = node.name in stuck
    # The timer's note on a line of its own keeps the box, and so the drawing, narrow.
    what = doing(node, exit).replace(" (timer running)", "\n(timer running)")
    label = f"{node.name}\n{what}" + ("\nSTUCK" if is_stuck and not exited else "")
    return Box(node.name, label, group_of(node), POSITIONS.get(node.name, on_circle(i, n)),
               fill=EXITED_FILL if exited else STUCK_FILL if is_stuck else "white",
               color=CYCLE if in_loop else "black", bold=in_loop,
               marks="diagonals" if exited else "")


def wait_arrow(e, kind, ended=False, where=None):
    """A wait drawn by its kind ("loop", "chain" or "wait"); dotted once a timer ended it.
    `where`: what the wait rested on in the kernel (a processes run), under its label."""
    color = {"loop": CYCLE, "chain": CHAIN}.get(kind, "black")
    style = "dotted" if ended else "dashed" if kind == "chain" else "solid"
    label = f"{e.op} {e.chan}" + (f"\n{where}" if where else "")
    return Arrow(e.actor, e.waits_for, label, color, bold=kind != "wait", style=style)


def seen_at(t, exit=None, at_verdict=False):
    """When the graph was seen, when that was before the exit: with the verdict (what a
    processes run's Result keeps) or at a live run's last look (its watcher stops there)."""
    if exit is not None and exit.t > t:
        when = "when the verdict was taken" if at_verdict else "the last look before the exit"
        return f"wait-for graph at t={t:.3f} s, {when}"
    return f"wait-for graph at t={t:.3f} s"


def headline(v, exit=None):
    formed = f" (deadlock formed at t={v.t:.3f} s)" if v and v.kind == "deadlock" else ""
    if exit is not None:
        return f"SHIM EXITED at t={exit.t:.3f} s: {exit.actor}'s timer fired" + formed
    if v is not None and v.kind == "deadlock" and not v.cycle:
        return f"DEADLOCK formed at t={v.t:.3f} s, a leak: waiting with nobody left"
    if v is not None and v.kind == "deadlock":
        return f"DEADLOCK formed at t={v.t:.3f} s, a loop inside the system"
    if v is not None:
        return "STALL, the waits lead out of the system, to the client"
    return "nobody is stuck"


def caption(t, v, exit=None):
    """The graph in one sentence: the verdict in words."""
    formed = f" (it formed at t={v.t:.3f} s)" if v is not None and v.kind == "deadlock" else ""
    said = f"At t={t:.3f} s, {waitfor.describe(v)}{formed}."
    if exit is not None:
        said += (f" Then, at t={exit.t:.3f} s, {exit.actor}'s timer fired and it exited; the "
                 "waits it ended are dotted.")
    return said


def group_of(node):
    if node.outside:
        return ("outside",)
    process = node.name.split(".")[0]
    return ("system", process) if ("system", process) in GROUPS else ("system",)


def on_circle(i, n):
    angle = 2 * math.pi * i / max(n, 1)
    return (3 + 3 * math.cos(angle), 3 * math.sin(angle))
