"""Notebook 05: tell deadlock, stall and fine apart from a wait-for graph."""
from typing import Callable

from lessons.analysis import waitfor
from lessons.analysis.waitfor import WaitFor
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
    return cases


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
