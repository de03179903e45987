"""The wait-for graph drawn: who waits on whom, right now.

Actors are nodes (the client in an "outside" box, the shim and the engine inside the
system), each wait is an edge labelled with its operation and channel. A deadlock reads
as a red loop inside the system; a stall as an orange chain that leaves it for the
client. Stuck actors (they can never move again) are shaded.

    wait_for_graph(live)      # a LiveRun, a Stepper or a System: drawn now
"""
import math

from lessons.analysis import waitfor
from lessons.analysis.waitfor import doing
from .diagram import Diagram, Arrow, Box, show

# Where each of the story's actors sits when matplotlib has to lay it out.
POSITIONS = {"client.send": (0, 1), "client.recv": (0, -1), "shim.requests": (3.2, 1),
             "shim.main": (3.2, -1), "engine": (6.4, 0)}
CYCLE, CHAIN, STUCK, EXITED = "#d62728", "#ff7f0e", "#d9d9d9", "#555555"
GROUPS = {("outside",): ("outside: the gRPC client", "#eaf1fb"),
          ("system",): ("the system", "#fbfbf6"),
          ("system", "shim"): ("shim (Go process)", "#f3f3ea"),
          ("system", "engine"): ("engine (C process)", "#f3f3ea")}


def wait_for_graph(source):
    """Draw the wait-for graph of a LiveRun, Stepper or System as it is now."""
    return show(diagram_of(source))


def diagram_of(source):
    rt = source.rt
    g = rt.graph()
    clicks = getattr(getattr(source, "system", None), "clicks", None)
    if clicks is not None:
        # Waiting for the learner's next click is no one's fault: leave those waits out.
        g = waitfor.WaitFor(g.nodes, [e for e in g.edges if e.chan != clicks.name], g.t)
    return wait_for_diagram(g, rt.final or rt.deadlock, rt.exit)


def wait_for_diagram(g, verdict=None, exit=None):
    """A Diagram of the snapshot `g` (waitfor.WaitFor).

    `verdict`: what the run recorded (rt.final or rt.deadlock). It keeps a loop or a
    stall chain drawn once a timer has ended one of its waits, dashed where the wait is
    gone: that wait is why the timer fired. `exit`: the shim's runtime.Exit, if any.
    """
    v = waitfor.verdict(g) or verdict
    formed = v if v is not None and v.kind == "deadlock" else None
    loop = {(e.actor, e.waits_for, e.chan) for e in (formed.cycle if formed else ())}
    chain = {(e.actor, e.waits_for, e.chan) for e in (v.chain if v else ())}
    stuck = set(waitfor.stuck(g)) | set(v.stuck if v else ())
    names = list(g.nodes)
    nodes = []
    for i, node in enumerate(g.nodes.values()):
        exited = exit is not None and exit.actor == node.name
        in_loop = any(node.name == a for a, _, _ in loop)
        nodes.append(Box(
            node.name, f"{node.name}\n{doing(node, exit)}", group_of(node),
            POSITIONS.get(node.name, on_circle(i, len(names))),
            fill=EXITED if exited else STUCK if node.name in stuck else "white",
            color=CYCLE if in_loop else "black", bold=in_loop))
    edges, drawn = [], set()
    for e in g.edges:
        key = (e.actor, e.waits_for, e.chan)
        color = CYCLE if key in loop else CHAIN if key in chain else "black"
        edges.append(Arrow(e.actor, e.waits_for, f"{e.op} {e.chan}", color,
                          bold=color != "black"))
        drawn.add(key)
    for e in (formed.cycle if formed else []) + (v.chain if v else []):
        if (e.actor, e.waits_for, e.chan) not in drawn:
            edges.append(Arrow(e.actor, e.waits_for, f"{e.op} {e.chan}",
                              CYCLE if formed else CHAIN, dashed=True))
    return Diagram(f"wait-for graph at t={g.t:.3f} s: {headline(v, exit)}", nodes, edges,
                   GROUPS, rankdir="LR")


def headline(v, exit=None):
    if exit is not None:
        return (f"SHIM EXITED: {exit.actor}'s timer fired"
                + (f" (deadlock formed at t={v.t:.3f} s)" if v and v.kind == "deadlock" else ""))
    if v is not None and v.kind == "deadlock":
        return "DEADLOCK, a loop inside the system"
    if v is not None:
        return "STALL, the chain of waits leaves the system for the client"
    return "nobody is stuck"


def group_of(node):
    if node.outside:
        return ("outside",)
    process = node.name.split(".")[0]
    return ("system", process) if ("system", process) in GROUPS else ("system",)


def on_circle(i, n):
    angle = 2 * math.pi * i / max(n, 1)
    return (3 + 3 * math.cos(angle), 3 * math.sin(angle))
