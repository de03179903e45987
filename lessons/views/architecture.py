"""Both shim designs side by side: client -> shim goroutines -> engine, with the channels.

The goroutine that calls the engine (queue into c_buffer, wait on replies) is drawn
thick, in vermillion in the single design (it also drains notifications: two jobs on one
goroutine, and its box says so) and in green in the split design, so the fix reads at a
glance; the words in the boxes say it without colour.

    architecture()      # displays; architecture_diagram() is the Diagram itself
"""
from lessons.story.shim_single import single
from lessons.story.shim_split import split
from .diagram import Diagram, Arrow, Box, show
from .palette import BLUE, BUSY_FILL, CALLS, CHANNEL_FILL, FIXED_FILL

# (tail, head, what the arrow does, is it a return flow); actors and channels as in the
# story. Requests flow left to right, answers come back right to left.
FLOWS = [("client.send", "requests", "send", False), ("requests", "shim.requests", "recv", False),
         ("shim.requests", "handoff", "send", False), ("handoff", "shim.main", "recv", False),
         ("CALLER", "c_buffer", "send (cgo)", False), ("c_buffer", "engine", "recv", False),
         ("engine", "replies", "send", True), ("replies", "CALLER", "recv, 1 h timer", True),
         ("engine", "notifications", "send", True), ("notifications", "shim.main", "recv", True),
         ("shim.main", "stream", "send", True), ("stream", "client.recv", "recv", True)]
# Rough positions for the matplotlib fallback (dot lays it out itself).
PLACES = {"client.send": (0, 2), "requests": (1.5, 2), "shim.requests": (3, 2),
          "handoff": (3, 1), "shim.main": (3, 0), "c_buffer": (4.8, 1.6), "engine": (6.4, 1),
          "replies": (4.8, 0.9), "notifications": (4.8, 0.2), "stream": (1.5, 0),
          "client.recv": (0, 0)}
GROUPS = {"client": "gRPC client", "shim": "shim (Go process)", "engine": "engine (C process)"}


def architecture():
    """Display both designs side by side."""
    return show(architecture_diagram())


ROLE = {"single": "the incident", "split": "the fix"}


def architecture_diagram(designs=(split, single)):
    """The designs one above the other, named in the title in the order dot stacks them
    (top first: split, then single; tests/test_views_drawings.py checks the drawing)."""
    names = " and ".join(f"{d.name} ({ROLE.get(d.name, 'yours')})" for d in designs)
    d = Diagram(f"who calls the engine? {names}, from the top",
                rankdir="LR", caption=" ".join(caption(design) for design in designs))
    for column, design in enumerate(designs):
        _add_design(d, design, dx=8.5 * column)
    return d


def _add_design(d, design, dx):
    name, caller = design.name, design.engine_caller
    color = CALLS.get(name, BLUE)
    d.groups[(name,)] = (f"{name} design: {caller} calls the engine", "white")
    for process, label in GROUPS.items():
        d.groups[(name, process)] = (label, "#f5f5f5")

    def node_id(part):
        return f"{name}/{caller if part == 'CALLER' else part}"

    for part, (x, y) in PLACES.items():
        if part == "handoff" and not design.handoff:
            continue
        process = part.split(".")[0]
        if process in GROUPS:
            jobs = job_of(part, design)
            calls = part == caller
            fill = (BUSY_FILL if design.handoff else FIXED_FILL) if calls else "white"
            d.nodes.append(Box(node_id(part), f"{part}\n{jobs}", (name, process),
                                (x + dx, y), fill=fill, color=color if calls else "black",
                                bold=calls))
        else:
            d.nodes.append(Box(node_id(part), part, (name,), (x + dx, y),
                                fill=CHANNEL_FILL, shape="note"))
    for tail, head, does, back in FLOWS:
        if "handoff" in (tail, head) and not design.handoff:
            continue
        calls = "CALLER" in (tail, head)
        d.edges.append(Arrow(node_id(tail), node_id(head), does, color if calls else "black",
                            bold=calls, back=back))


def caption(design):
    """One sentence per design: who calls the engine, and what else it does."""
    jobs = job_of(design.engine_caller, design).replace("\n", " ")
    return f"{design.name} design: {design.engine_caller} calls the engine ({jobs})."


def job_of(actor, design):
    """A goroutine's jobs in a few words (what the diagram must make obvious)."""
    jobs = {"client.send": "sends requests", "client.recv": "reads answers",
            "engine": "single-threaded"}
    if actor in jobs:
        return jobs[actor]
    if actor == "shim.requests":
        return "hands requests on" if design.handoff else "calls the engine, waits"
    return "drains notifications\n+ calls the engine, waits" if design.handoff else \
        "only drains notifications"
