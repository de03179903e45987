"""Notebook 05: tell deadlock, stall and fine apart from a wait-for graph."""
from typing import Callable

from lessons.analysis import waitfor
from lessons.analysis.waitfor import BLOCKED, IDLE, ActorNode, Edge, WaitFor
from lessons.story.scenario import Scenario

from .demos import freeze
from .report import Report, ask, reports_mistakes, right, wrong

Case = tuple[str, WaitFor, str | None]      # (label, graph, right answer)
ANSWERS = ("deadlock", "stall", None)


def graph_cases() -> list[Case]:
    """(label, graph, right answer) over both designs, three clients, frozen and midway."""
    cases = []
    for design in ("single", "split"):
        for client in ("fast", "slow", "stalled"):
            for seed in range(3):
                sc = Scenario(design=design, client=client, seed=seed,
                              requests=("get 12",) if client == "stalled" and design == "split"
                              else None)
                where = f"{design}, {client} client, seed {seed}"
                for label, g in ((f"{where}, when it settled", freeze(sc)),
                                 (f"{where}, after 12 moves", freeze(sc, steps=12))):
                    v = waitfor.verdict(g)
                    cases.append((label, g, v.kind if v else None))
    return cases + hand_made_cases()


def hand_made_cases() -> list[Case]:
    """Quiet graphs that no story run reaches, each to catch one shortcut: a chain to the
    client that is longer than one edge, and a wait on the client that is a receive (the
    system waiting for work) rather than a send (work waiting for the client)."""
    def graph(*waits: tuple[str, str, str, str], idle: tuple[str, ...] = ()) -> WaitFor:
        nodes = {name: ActorNode(name, IDLE, outside=name.startswith("client"))
                 for name in ("client.send", *idle)}
        for actor, op, chan, _ in waits:
            doing = nodes[actor].doing if actor in nodes else ()
            nodes[actor] = ActorNode(actor, BLOCKED, actor.startswith("client"),
                                     doing=doing + ((op, chan),))
        edges = [Edge(actor, partner, chan, op) for actor, op, chan, partner in waits]
        return WaitFor(nodes, edges)

    return [
        ("between requests: everyone receives, waiting for the client to ask",
         graph(("client.recv", "recv", "stream", "shim.main"),
               ("shim.requests", "recv", "requests", "client.send"),
               ("shim.main", "recv", "notifications", "engine"),
               ("shim.main", "recv", "handoff", "shim.requests"),
               ("engine", "recv", "c_buffer", "shim.main")),
         None),
        ("a shim.main that waits for the next request before it drains: "
         "engine -> shim.main -> shim.requests -> client.send",
         graph(("client.recv", "recv", "stream", "shim.main"),
               ("engine", "send", "notifications", "shim.main"),
               ("shim.main", "recv", "handoff", "shim.requests"),
               ("shim.requests", "recv", "requests", "client.send")),
         "stall"),
        ("the engine sends to a shim.main that has stopped (idle), while shim.requests "
         "waits for the client to ask",
         graph(("client.recv", "recv", "stream", "shim.main"),
               ("engine", "send", "notifications", "shim.main"),
               ("shim.requests", "recv", "requests", "client.send"), idle=("shim.main",)),
         None),
    ]


@reports_mistakes
def check_classifier(classify: Callable[[WaitFor], str | None]) -> Report:
    """`classify(graph)` -> 'deadlock', 'stall' or None, compared with lessons.waitfor on many graphs."""
    cases = graph_cases()
    for label, g, answer in cases:
        said = ask(classify, g)
        if said not in ANSWERS:
            return wrong(f"{label}: you said {said!r}; say 'deadlock', 'stall' or None")
        if said != answer:
            return wrong(f"{label}: you said {said!r}, the answer is {answer!r}", *graph_lines(g))
    kinds = sorted({str(a) for _, _, a in cases})
    return right(f"all {len(cases)} graphs classified right ({', '.join(kinds)})")


def graph_lines(g: WaitFor) -> list[str]:
    """A graph in two lines: its edges, then who is blocked and who is outside."""
    edges = "; ".join(f"{e.actor} -({e.op} {e.chan})-> {e.waits_for}" for e in g.edges)
    outside = ", ".join(n.name for n in g.nodes.values() if n.outside)
    return [f"its edges: {edges or 'none'}",
            f"blocked: {', '.join(g.blocked()) or 'nobody'}; outside: {outside}"]
