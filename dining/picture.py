"""Text pictures of the table: the ring of philosophers and forks, and a run's summary.

Plain strings, so a terminal user sees what a notebook user sees and tests can compare
them. In the ring, an arrow points from each fork to whoever holds it:

    p0 <f0  p1  f1> p2   f0 is held by p0, f1 by p2; a fork without an arrow is free
"""
from lessons.analysis import waitfor
from lessons.story.picture import cycle_lines, schedule_line

STATE_WIDTH = 8


def banner(table):
    """DEADLOCK, LIVELOCK, COMPLETED, RUNNING, or READY before the first move."""
    if table.rt.deadlock is not None:
        return "DEADLOCK"
    if table.livelock is not None:
        return "LIVELOCK"
    if table.done():
        return "COMPLETED"
    return "RUNNING" if table.rt.schedule() else "READY"


def ring(table):
    """'p0 <f0  p1  f1> p2 ... (p0)': the round table cut open at p0."""
    words = []
    for i, name in enumerate(table.names):
        holder = table.holder(i)
        fork = (f"<f{i} " if holder == name else
                f" f{i}>" if holder is not None else f" f{i} ")
        words.append(f"{name} {fork}")
    return " ".join(words) + f" ({table.names[0]})"


def picture(table):
    """The whole table now: time, banner, the ring, and a line per philosopher."""
    rt = table.rt
    g = rt.graph()
    lines = [f"t={g.t:.3f} s  {table.strategy.name}, {table.n} philosophers, "
             f"{table.meals_each} meals each: {banner(table)}",
             "  " + ring(table)]
    width = max(len(n) for n in table.names)
    for i, name in enumerate(table.names):
        held = [f"f{k}" for k in range(table.n) if table.holder(k) == name]
        lines.append(f"  {name:<{width}}  {table.states[i]:<{STATE_WIDTH}} "
                     f"{table.meals[i]}/{table.meals_each} meals  "
                     f"holds {', '.join(held) or '-':<7} {waiting(g.nodes[name])}".rstrip())
    if rt.deadlock is not None:
        lines.extend(cycle_lines("cycle", rt.deadlock.cycle))
    return "\n".join(lines)


def waiting(node):
    if node.state != waitfor.BLOCKED:
        return ""
    return "waits: " + " or ".join(f"{op} {chan}" for op, chan in node.doing)


def summary(result):
    """A result in a few plain lines."""
    lines = [f"outcome: {result.outcome.upper()}" + at(result)]
    if result.cycle:
        lines.extend(cycle_lines("cycle", result.cycle))
        lines.append("stuck: " + ", ".join(result.stuck))
    lines.append("meals: " + ", ".join(f"{n} {m}" for n, m in result.meals.items()))
    lines.append("longest wait (s): " + ", ".join(
        f"{n} {w:g}" for n, w in result.longest_waits().items()))
    lines.append("overtaken by neighbours: " + ", ".join(
        f"{n} {k}" for n, k in result.overtaken.items()))
    lines.append("starving: " + (", ".join(result.starving) or "nobody"))
    lines.append(f"throughput: {result.throughput():.3f} meals/s over {result.seconds:.3f} s"
                 + (f"; {result.failures} failed attempts" if result.failures else ""))
    if result.schedule is not None:
        lines.append(schedule_line(result.schedule))
    return "\n".join(lines)


def at(result):
    if result.deadlock_at is not None:
        return f" (formed at t={result.deadlock_at:.3f} s)"
    if result.livelock_at is not None:
        return f" (declared at t={result.livelock_at:.3f} s)"
    return ""
