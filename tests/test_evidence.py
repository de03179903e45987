"""The evidence of a run watched from outside its processes: typed records that give the
JSON `Result.to_dict()` always carried, and read as the dicts they replaced."""
import json

import pytest

from lessons import Scenario, run
from lessons.analysis.waitfor import BLOCKED, ActorNode, Edge, WaitFor
from lessons.runtime.linux.kernel import ThreadView
from lessons.runtime.linux.records import (
    Blocked,
    ClientSide,
    Ended,
    Evidence,
    GoProcess,
    Kernel,
    Pipe,
    Process,
    ShimExit,
    Stacks,
    Thread,
    Watching,
)
from lessons.story.scenario import Result

GRAPH = WaitFor({"engine": ActorNode("engine", BLOCKED, doing=(("send", "notifications"),))},
                [Edge("engine", "shim.main", "notifications", "send")], 1.23456789)
PIPE = Pipe("notifications", 11, 4242, 4, 4, ["shim fd 9"], ["engine fd 11"])


def processes_evidence():
    """What a deadlocked processes run records, field by field as the run sees it."""
    return Evidence(
        processes={"engine": Process(10, [Thread(10, "engine", "S", "anon_pipe_write", "write")],
                                     Stacks("py-spy", None, "Thread 10: engine\n"))},
        blocked=[Blocked("engine", "engine", 10, 10, "send notifications", False, 0.5,
                         Kernel("engine", "S", "anon_pipe_write", "write"), [PIPE]),
                 Blocked("shim.main", "shim", 11, 12, "recv replies", True, 0.4, None)],
        pipes=[PIPE], graph=GRAPH, shim_exit=ShimExit(1, "shim.main queued ...", "..."),
        watch=Watching(40, 0.02, 0.5, 3, None), refused=[],
        client=ClientSide([0.0, 0.1], None))


PIPE_DICT = {"channel": "notifications", "fd": 11, "inode": 4242, "depth": 4, "capacity": 4,
             "read_end": ["shim fd 9"], "write_end": ["engine fd 11"]}
# The dicts story/processes/run.py wrote before the records, key for key and in order.
PROCESSES_DICT = {
    "processes": {"engine": {"pid": 10, "threads": [
        {"tid": 10, "comm": "engine", "state": "S", "wchan": "anon_pipe_write", "syscall": "write"}],
        "stacks": {"tool": "py-spy", "why_not_py_spy": None, "text": "Thread 10: engine\n"}}},
    "blocked": [{"actor": "engine", "process": "engine", "pid": 10, "tid": 10,
                 "waits": "send notifications", "timer": False, "blocked_for": 0.5,
                 "kernel": {"comm": "engine", "state": "S", "wchan": "anon_pipe_write",
                            "syscall": "write"}, "pipes": [PIPE_DICT]},
                {"actor": "shim.main", "process": "shim", "pid": 11, "tid": 12,
                 "waits": "recv replies", "timer": True, "blocked_for": 0.4, "kernel": None}],
    "pipes": [PIPE_DICT],
    "graph": {"t": 1.234568, "nodes": [{"name": "engine", "state": BLOCKED, "outside": False,
                                        "timed": False, "doing": (("send", "notifications"),),
                                        "outside_end": False}],
              "edges": [{"actor": "engine", "waits_for": "shim.main", "chan": "notifications",
                         "op": "send"}]},
    "shim_exit": {"status": 1, "message": "shim.main queued ...", "stderr": "..."},
    "watch": {"looks": 40, "look_seconds": 0.02, "confirmed_at": 0.5,
              "confirmations_needed": 3, "last_kernel_objection": None},
    "refused": [],
    "client": {"sent_at": [0.0, 0.1], "call_failed": None},
}


def test_the_records_give_the_json_the_dicts_gave():
    d = processes_evidence().to_dict()
    assert d == PROCESSES_DICT
    assert json.dumps(d) == json.dumps(PROCESSES_DICT)     # the same keys in the same order


def test_a_go_run_s_evidence_keeps_its_own_keys_and_the_engine_thread_it_did_not_find():
    look = dict(look="goroutine 1 [chan send]:", goroutines="1 chan send main.main",
                depths={"notifications": [4, 4]}, graph=GRAPH)
    found = ThreadView(7, 8, "engine", "S", "futex_do_wait", "futex", None, ())
    ev = Evidence(**look, engine_thread=found, sigquit=Ended(2, "SIGQUIT: quit"),
                  process=GoProcess(7, 2), client=ClientSide([0.0], None))
    d = ev.to_dict()
    assert list(d) == ["look", "goroutines", "depths", "engine_thread", "graph", "sigquit",
                       "process", "client"]
    assert d["engine_thread"] == found._asdict()
    assert d["sigquit"] == {"status": 2, "stderr": "SIGQUIT: quit"}
    assert d["process"] == {"pid": 7, "status": 2}
    # No C thread found: the key is there with None, as the dict had it; before the
    # verdict (no look) it is not there at all.
    assert Evidence(**look, engine_thread=None).to_dict()["engine_thread"] is None
    assert "engine_thread" not in Evidence(sigquit=Ended(2, "")).to_dict()


def test_the_records_read_as_the_dicts_notebooks_and_learners_read():
    ev = processes_evidence()
    assert ev["shim_exit"]["message"] == ev.shim_exit.message
    assert ev["processes"]["engine"]["stacks"]["tool"] == "py-spy"
    edges = {(b["actor"], p["channel"], p["read_end"][0].split()[0])   # exercise 10.1's way
             for b in ev["blocked"] for p in b.get("pipes", [])}
    assert edges == {("engine", "notifications", "shim")}
    assert "pipes" not in ev["blocked"][1] and ev["blocked"][1]["kernel"] is None
    assert ev.get("look") is None and "look" not in ev
    with pytest.raises(KeyError):
        ev["sigquit"]
    assert list({**ev}) == list(PROCESSES_DICT)
    with pytest.raises(TypeError):
        ev["refused"] = ["no"]       # read-only


def test_a_run_in_this_process_has_no_evidence_and_its_json_no_key():
    result = run(Scenario(design="split"))
    assert not result.evidence and result.evidence == {} and len(result.evidence) == 0
    assert "evidence" not in result.to_dict()
    shown = Result(scenario=Scenario(), outcome="stall", evidence=processes_evidence())
    assert shown.to_dict()["evidence"] == PROCESSES_DICT


def test_a_shim_that_exited_before_its_dump_keeps_the_stacks_it_printed_as_it_exited():
    from lessons.story.processes.run import stacks_at_exit
    missed = Process(11, [], Stacks(None, "py-spy: no such process", ""))
    dumped = processes_evidence().processes["engine"]
    exited = ShimExit(1, "shim.main queued ...", "Thread 0x1 (most recent call first):\n  call_engine")
    kept = stacks_at_exit({"engine": dumped, "shim": missed}, exited)
    assert kept["engine"] is dumped
    assert kept["shim"].stacks.tool == "faulthandler" and kept["shim"].stacks.text == exited.stderr
    assert kept["shim"].stacks.why_not_py_spy == (
        "py-spy: no such process; the shim exited on its timer before a dump")
    # A dump that worked, or nothing printed, is left as it was.
    shim_dumped = Process(11, [], Stacks("py-spy", None, "Thread 12: shim.main"))
    assert stacks_at_exit({"shim": shim_dumped}, exited)["shim"] is shim_dumped
    assert stacks_at_exit({"shim": missed}, ShimExit(1, "", ""))["shim"] is missed
    assert stacks_at_exit(None, exited) is None


def test_a_process_s_death_names_the_signal_that_killed_it():
    from lessons.story.processes.run import death
    assert death(-9) == "was killed by SIGKILL (status -9)"
    assert death(3) == "died (status 3)"
    assert death(-200) == "died (status -200)"
