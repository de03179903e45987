"""One verdict per run: the wait-for graph view draws the verdict the run recorded or
confirmed, never one of its own from the graph (a processes run's board may show a loop
the kernel has not confirmed, and the run's Result says what it confirmed)."""
from lessons import Scenario
from lessons.analysis import waitfor
from lessons.analysis.waitfor import Edge
from lessons.runtime.actor import Exit
from lessons.runtime.linux.records import Evidence
from lessons.story.scenario import Result
from lessons.tools.reading import Reading
from lessons.tools.stepper import Stepper
from lessons.views.palette import CHAIN, CYCLE, STUCK_FILL
from lessons.views.waitgraph import diagram_of

LOOP = {("shim.main", "engine", "recv replies"), ("engine", "shim.main", "send notifications")}


def deadlocked_graph():
    """The single design's deadlock, as a graph: by itself it says deadlock."""
    with Stepper(Scenario(design="single")) as s:
        assert s.play() == "DEADLOCK"
        g = s.rt.graph()
    v = waitfor.verdict(g)
    assert v is not None and v.kind == "deadlock"
    return g, v


def colored(d, color):
    return {(e.tail, e.head, e.label.split("\n")[0]) for e in d.edges if e.color == color}


def test_a_result_is_drawn_with_its_recorded_verdict_not_the_graph_s():
    g, _ = deadlocked_graph()
    chain = [Edge("shim.main", "client.recv", "stream", "send")]
    result = Result(scenario=Scenario(runtime="processes"), outcome="stall", stall=chain,
                    evidence=Evidence(graph=g))
    d = diagram_of(result)
    assert "STALL" in d.title and "DEADLOCK" not in d.title
    assert d.caption.startswith(f"At t={g.t:.3f} s, stall: shim.main waits for client.recv")
    assert colored(d, CYCLE) == set()                     # no loop the run did not confirm
    assert ("shim.main", "client.recv", "send stream") in colored(d, CHAIN)
    assert not any(n.fill == STUCK_FILL or "STUCK" in n.label for n in d.nodes)


def test_a_result_with_no_verdict_draws_none_whatever_its_graph_shows():
    g, _ = deadlocked_graph()
    result = Result(scenario=Scenario(runtime="processes"), outcome="unfinished",
                    bound_hit=True, evidence=Evidence(graph=g))
    d = diagram_of(result)
    assert colored(d, CYCLE) == set() and "nobody is stuck" in d.title


def test_a_recorded_deadlock_is_drawn_with_its_own_cycle_stuck_and_time():
    g, v = deadlocked_graph()
    result = Result(scenario=Scenario(runtime="processes"), outcome="deadlock",
                    cycle=v.cycle, stuck=["engine", "shim.main"], deadlock_at=0.25,
                    exit=Exit(g.t + 1, "shim.main", "shim.main ... exiting"),
                    evidence=Evidence(graph=g))
    d = diagram_of(result)
    assert colored(d, CYCLE) == LOOP
    assert "formed at t=0.250 s" in d.title and "SHIM EXITED" in d.title
    assert f"at t={g.t:.3f} s, when the verdict was taken" in d.title   # the Result's own graph
    assert {n.id for n in d.nodes if "STUCK" in n.label} == {"engine"}   # shim.main exited
    # Another cycle recorded for the same graph: that one is drawn, the graph's is not.
    other = [Edge("engine", "shim.main", "notifications", "send")]
    d = diagram_of(Result(scenario=Scenario(runtime="processes"), outcome="deadlock",
                          cycle=other, stuck=["engine"], deadlock_at=0.25,
                          evidence=Evidence(graph=g)))
    assert colored(d, CYCLE) == {("engine", "shim.main", "send notifications")}
    assert {n.id for n in d.nodes if n.fill == STUCK_FILL} == {"engine"}


class Unconfirmed:
    """A live processes run whose board shows a loop the kernel has not confirmed yet."""

    def __init__(self, g):
        self.g = g

    def reading(self):
        return Reading("RUNNING", self.g.t, (), self.g, None, None, None, ())

    def evidence(self):
        return Evidence()

    def pids(self):
        return {"engine": 10, "shim": 11, "caller": 12}


def test_a_live_run_s_loop_is_drawn_only_once_the_run_confirms_it():
    g, v = deadlocked_graph()
    d = diagram_of(Unconfirmed(g))
    assert colored(d, CYCLE) == set() and "DEADLOCK" not in d.title
    confirmed = Unconfirmed(g)
    confirmed.reading = lambda: Reading("DEADLOCK", g.t, (), g, v, None, v.t, ())
    d = diagram_of(confirmed)
    assert colored(d, CYCLE) == LOOP and "DEADLOCK" in d.title


def test_a_live_run_s_graph_after_the_exit_is_its_last_look_not_the_verdict_s():
    from lessons.views.waitgraph import wait_for_diagram
    g, v = deadlocked_graph()
    d = wait_for_diagram(g, v, Exit(g.t + 1, "shim.main", "shim.main ... exiting"))
    assert f"at t={g.t:.3f} s, the last look before the exit" in d.title
    assert "when the verdict was taken" not in d.title
