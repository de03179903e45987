"""Wait-for verdicts on hand-made graphs: each rule of the outcomes (docs/design.md), one at a time."""
from lessons.analysis.waitfor import (
    BLOCKED,
    IDLE,
    RUNNING,
    SLEEPING,
    ActorNode,
    Edge,
    WaitFor,
    deadlocked,
    describe,
    stuck,
    verdict,
)


def graph(states, waits, outside=()):
    """states: {actor: state}; waits: [(actor, waits_for, chan, op)]."""
    nodes = {a: ActorNode(a, s, outside=a in outside) for a, s in states.items()}
    return WaitFor(nodes, [Edge(*w) for w in waits])


STORY = [("shim.main", "engine", "replies", "recv"),
         ("engine", "shim.main", "notifications", "send"),
         ("client.recv", "shim.main", "stream", "recv")]


def test_the_story_is_a_two_actor_cycle_and_the_client_is_stuck_behind_it():
    g = graph({"client.recv": BLOCKED, "shim.main": BLOCKED, "engine": BLOCKED}, STORY,
              outside={"client.recv"})
    v = verdict(g, start="shim.main")
    assert v.kind == "deadlock"
    assert [(e.actor, e.waits_for, e.chan) for e in v.cycle] == [
        ("shim.main", "engine", "replies"), ("engine", "shim.main", "notifications")]
    assert v.stuck == ["client.recv", "shim.main", "engine"]
    assert describe(v).startswith("deadlock: shim.main waits for engine (recv replies)")


def test_a_partial_deadlock_is_seen_while_others_still_run():
    g = graph({"client.send": RUNNING, "client.recv": SLEEPING, "shim.main": BLOCKED,
               "engine": BLOCKED}, STORY[:2], outside={"client.send", "client.recv"})
    assert deadlocked(g) == {"shim.main", "engine"}


def test_a_timed_wait_still_counts_as_waiting():
    nodes = {"shim.main": ActorNode("shim.main", BLOCKED, timed=True),
             "engine": ActorNode("engine", BLOCKED)}
    g = WaitFor(nodes, [Edge(*w) for w in STORY[:2]])
    assert verdict(g).kind == "deadlock"


def test_a_chain_that_ends_at_the_client_is_a_stall_not_a_deadlock():
    waits = [("engine", "shim.main", "notifications", "send"),
             ("shim.main", "client.recv", "stream", "send")]
    g = graph({"client.recv": IDLE, "shim.main": BLOCKED, "engine": BLOCKED}, waits,
              outside={"client.recv"})
    v = verdict(g)
    assert v.kind == "stall"
    assert [e.waits_for for e in v.chain] == ["client.recv"]
    assert stuck(g) == set()     # the client could read: nobody is stuck for ever


def test_a_slow_reader_is_neither_while_it_can_still_move():
    waits = [("shim.main", "client.recv", "stream", "send")]
    g = graph({"client.recv": SLEEPING, "shim.main": BLOCKED}, waits, outside={"client.recv"})
    assert verdict(g) is None


def test_select_is_released_by_any_of_its_partners():
    waits = [("main", "engine", "notifications", "recv"), ("main", "requests", "handoff", "recv"),
             ("engine", "main", "notifications", "send")]
    g = graph({"main": BLOCKED, "engine": BLOCKED, "requests": RUNNING}, waits)
    assert deadlocked(g) == set()          # requests can still hand main something
    g = graph({"main": BLOCKED, "engine": BLOCKED, "requests": BLOCKED},
              waits + [("requests", "main", "handoff", "send")])
    assert deadlocked(g) == {"main", "engine", "requests"}


def test_several_senders_on_one_channel_any_of_them_releases_the_receiver():
    waits = [("r", "s1", "jobs", "recv"), ("r", "s2", "jobs", "recv"),
             ("s1", "r", "done", "recv")]
    g = graph({"r": BLOCKED, "s1": BLOCKED, "s2": RUNNING}, waits)
    assert verdict(g) is None
    g = graph({"r": BLOCKED, "s1": BLOCKED, "s2": BLOCKED},
              waits + [("s2", "r", "done", "recv")])
    assert deadlocked(g) == {"r", "s1", "s2"}


def test_nothing_blocked_means_nothing_wrong():
    g = graph({"a": RUNNING, "b": SLEEPING}, [])
    assert verdict(g) is None and describe(None).startswith("nothing is wrong")
