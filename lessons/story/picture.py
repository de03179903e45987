"""Text pictures of the system: queues as gauges, actors with what they wait on.

Plain strings, so a terminal user sees what a notebook user sees and tests can compare
them. The widgets draw the same facts graphically.
"""
from lessons.analysis.waitfor import doing
from lessons.runtime.linux.evidence import describe
from lessons.runtime.schedule import parse_schedule

from .outcome import decide

GAUGE_WIDTH = 16
# Longer schedules are counted, not printed: before notebook 07 a learner cannot read
# one, and after it a line of 100 moves says nothing that `result.schedule` does not.
SHORT_SCHEDULE_MOVES = 12

NO_REPLAY = "no replay: real processes are scheduled by the kernel, not by a seed"


def gauge(depth, capacity):
    """'[###.] 3/4', scaled down for big channels; 'full' when it is."""
    if capacity <= GAUGE_WIDTH:
        cells = "#" * depth + "." * (capacity - depth)
    else:
        filled = round(GAUGE_WIDTH * depth / capacity)
        cells = "#" * filled + "." * (GAUGE_WIDTH - filled)
    return f"[{cells}] {depth}/{capacity}" + ("  full" if depth == capacity else "")


def status(system, over=False):
    """The banner word: SHIM EXITED, DEADLOCK, STALL, COMPLETED, UNFINISHED or RUNNING
    (outcome.py decides; `over`: the run has ended)."""
    return decide(system, over).banner


def picture(system, over=False):
    """The whole system now: time, banner, every channel's gauge, every actor's state."""
    rt = system.rt
    g = rt.graph()
    sc = system.scenario
    lines = [f"t={g.t:.3f} s  {sc.design_name} design, {sc.client} client: {status(system, over)}",
             "channels"]
    width = max(len(c.name) for c in system.channels())
    for c in system.channels():
        lines.append(f"  {c.name:<{width}}  {gauge(len(c), c.capacity)}")
    lines.append("actors")
    width = max(len(n) for n in g.nodes)
    for node in g.nodes.values():
        lines.append(f"  {node.name:<{width}}  {doing(node, rt.exit)}")
    if rt.deadlock is not None and rt.deadlock.cycle:
        lines.extend(cycle_lines("cycle", rt.deadlock.cycle))
    elif rt.deadlock is not None:       # a leak: waits on actors that have finished
        lines.append(f"leak: {rt.deadlock.reason}")
    return "\n".join(lines)


def cycle_text(edges):
    """'shim.main -(recv replies)-> engine -(send notifications)-> shim.main'"""
    if not edges:
        return ""
    return edges[0].actor + "".join(f" -({e.op} {e.chan})-> {e.waits_for}" for e in edges)


def cycle_lines(label, edges, width=80):
    """`label: a -(op c)-> b -(...)-> a`, broken between hops (never inside one) when it
    would be wider than `width`; a continued line starts again from the hop's actor."""
    lines, line = [], f"{label}: {edges[0].actor}"
    indent = " " * (len(label) + 2)
    for e in edges:
        hop = f" -({e.op} {e.chan})-> {e.waits_for}"
        if len(line) + len(hop) > width and line.strip() != e.actor:
            lines.append(line)
            line = indent + e.actor
        line += hop
    return lines + [line]


def summary(result):
    """A result in a few plain lines."""
    lines = [f"outcome: {result.outcome.upper()}"
             + (f" (formed at t={result.deadlock_at:.3f} s)" if result.deadlock_at is not None else "")]
    if result.cycle:
        lines.extend(cycle_lines("cycle", result.cycle))
    if result.outcome == "deadlock":
        lines.append("stuck: " + ", ".join(result.stuck))
    if result.stall:
        lines.extend(cycle_lines("waiting on the client", result.stall))
    if result.bound is not None:
        lines.append(f"ended at its bound: {result.bound}")
    if result.exit is not None:
        lines.append(f"shim exited at t={result.exit.t:.3f} s: {result.exit.message}")
    lines.append(f"requests: {result.sent} sent, {result.answered} answered; "
                 + (f"items: {result.delivered} of {result.expected} reached the client"
                    if result.expected else "no data items were asked for"))
    if result.schedule is not None:
        lines.append(schedule_line(result.schedule))
    if result.evidence:
        lines.append(NO_REPLAY)
        lines.append("\nevidence, as seen in the live processes when the verdict was taken:")
        lines.append(describe(result.evidence))
    return "\n".join(lines)


def schedule_line(schedule):
    """The schedule string when it is short; when long, how long and where it is kept."""
    moves = len(parse_schedule(schedule))
    if moves <= SHORT_SCHEDULE_MOVES:
        return f"schedule ({moves} moves): {schedule}"
    return (f"schedule: {moves} moves, kept in result.schedule "
            "(it replays this run exactly; notebook 07 shows how)")
