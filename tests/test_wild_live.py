"""The control room on real processes: clicks as real gRPC calls, gauges from the kernel."""
import os
import signal
import time

import pytest

from lessons import Scenario
from lessons.analysis.waitfor import FINISHED
from lessons.primitives.pipes import PLAIN, encode, open_pipe, write_record
from lessons.runtime.linux import kernel, stacks_dump
from lessons.runtime.linux.board import Board
from lessons.runtime.linux.reaper import descendants
from lessons.tools.live import live_run
from lessons.tools.live_processes import LiveProcesses
from lessons.views.control_room import ControlRoom
from tests.interrupting import interrupted
from tests.wild_census import nothing_left  # noqa: F401 (a fixture)

# Slow: each test runs real processes live, most with a census around them.
pytestmark = [pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux only"),
              pytest.mark.slow]
TIMER = 1.5


def story(**knobs):
    return Scenario(runtime="processes", **{"timeout": TIMER, "client": "slow", **knobs})


def depths(reading):
    return {name: (depth, capacity) for name, depth, capacity in reading.depths}


@pytest.mark.parametrize("capacity", [2, 4])
def test_big_request_then_ping_deadlocks_with_the_pipes_real_depths(capacity, nothing_left):
    live = live_run(story(channel_capacity=capacity))
    assert isinstance(live, LiveProcesses) and live.reading().word == "READY"
    try:
        live.send("get 32")
        live.send("ping")
        assert live.wait_for("DEADLOCK", "SHIM EXITED") == "DEADLOCK"
        live.wait_for("never", max_seconds=0.3)      # the gauges are read at every look
        r = live.reading()
        assert depths(r)["notifications"] == (capacity, capacity)   # full, as the kernel says
        assert depths(r)["c_buffer"] == (1, 4)                      # the ping waits in it
        assert {e.actor for e in r.verdict.cycle} == {"shim.main", "engine"}
        assert 0 < r.formed < r.now
        assert {n.name: n.doing for n in r.graph.nodes.values()}["engine"] == (
            ("send", "notifications"),)
        assert live.wait_for("SHIM EXITED") == "SHIM EXITED"
        assert depths(live.reading())["notifications"] == (capacity, capacity)   # last seen
        result = live.result()
        assert result.outcome == "deadlock" and result.exit.actor == "shim.main"
        assert result.scenario.requests == ("get 32", "ping")     # what was clicked
        assert "no replay: real processes" in result.summary()
        assert [e.item for e in live.reading(50).events if e.op == "sends"] == ["get 32", "ping"]
        assert live.replay_line() is None
    finally:
        live.stop()


def test_a_deadlock_is_shown_with_its_full_pipes_though_the_dumps_outlast_the_timer(
        monkeypatch, nothing_left):
    """The reading that first says DEADLOCK shows the pipes as the deadlock holds them,
    even when the shim's timer ends the processes while their stacks are dumped (py-spy
    takes seconds on a loaded machine: the flake hunt saw notifications 0/2 shown)."""
    real_dump = stacks_dump.dump

    def slow_dump(pid, *args):    # the timer is due before the dumps end
        time.sleep(TIMER)
        return real_dump(pid, *args)
    monkeypatch.setattr(stacks_dump, "dump", slow_dump)
    live = live_run(story())
    try:
        live.send("get 32")
        live.send("ping")
        assert live.wait_for("DEADLOCK", "SHIM EXITED") == "DEADLOCK"
        shown = depths(live.reading())
        assert (shown["notifications"], shown["c_buffer"]) == ((4, 4), (1, 4))
    finally:
        live.stop()


def test_a_deadlock_is_shown_with_the_graph_of_its_verdict_whatever_a_later_look_sees(nothing_left):
    """Once the verdict is taken, the reading shows the graph it was read from. A look just
    after the shim's exit began (its pipes closed, neither process ended yet) sees the
    engine's write fail: the flake hunt saw DEADLOCK drawn with the engine doing nothing.
    Here the engine's slot says so while both processes run on (the timer is long), so
    the looks after the verdict see it for sure."""
    live = live_run(story(timeout=60))
    try:
        live.send("get 32")
        live.send("ping")
        assert live.wait_for("DEADLOCK", "SHIM EXITED") == "DEADLOCK"
        board, watching = live.run.board, live.run.watching
        board.seqs["engine"] = board.read("engine")[1] // 2    # go on with the engine's count
        board.publish("engine", FINISHED)                     # as when its write fails
        looks, deadline = watching.looks, time.monotonic() + 30
        while watching.looks < looks + 2 and time.monotonic() < deadline:
            time.sleep(0.02)    # the next look sees it; once the one after began, its reading is out
        assert live.run.graph.nodes["engine"].doing == ()     # the look did see it
        r = live.reading()
        assert r.word == "DEADLOCK"
        assert r.graph.nodes["engine"].doing == (("send", "notifications"),)
    finally:
        live.stop()


def test_the_split_shim_completes_every_click_over_grpc(nothing_left):
    live = live_run(story(design="split", client="fast", request_size=8))
    try:
        live.send("get 8")
        live.send("ping")
        assert live.wait_for("COMPLETED") == "COMPLETED"
        result = live.result()
        assert (result.sent, result.answered, result.delivered) == (2, 2, 8)
        live.send("get 5")                         # a live run goes on after COMPLETED
        live.wait_for("RUNNING", max_seconds=2)
        assert live.wait_for("COMPLETED") == "COMPLETED"
        assert live.result().delivered == 13
    finally:
        live.stop()


def test_a_stalled_client_fills_its_calls_pipe_and_is_a_stall(nothing_left):
    live = live_run(story(client="stalled", design="split"))
    try:
        live.send("get 32")
        assert live.wait_for("STALL", "DEADLOCK") == "STALL"
        live.wait_for("never", max_seconds=0.3)
        assert depths(live.reading())["stream"] == (2, 2)   # the one open call's pipe
        assert live.result().outcome == "stall"
    finally:
        live.stop()


def test_the_control_room_runs_processes_live(nothing_left):
    room = ControlRoom(story())
    try:
        assert room.banner.value == "READY" and room.problem.value == ""
        assert "read from the kernel" in room.gauge_title.value
        room.buttons["Send big request"].click()
        room.buttons["Send ping"].click()
        assert room.wait_for("DEADLOCK", "SHIM EXITED") == "DEADLOCK"
        room.wait_for("never", max_seconds=0.6)
        assert room.depths["notifications"].value == "4/4  FULL"
        assert "blocked: send notifications" in room.actors["engine"].value
        assert "engine (C process, pid" in room.graph.value
        assert "deadlock formed at t = " in room.clock.value and "(processes)" in room.clock.value
        assert room.replay.value.startswith("no replay: real processes")
        pids = room.live.pids()
        room.buttons["Reset"].click()              # mid-run: every process ends
        assert room.banner.value == "READY"
        assert not set(pids.values()) & set(descendants())
    finally:
        room.close()


def test_a_process_that_dies_is_said_in_the_room_and_leaves_nothing(nothing_left):
    room = ControlRoom(story(design="split", request_size=500, read_interval=0.5))
    try:
        room.buttons["Send big request"].click()
        os.kill(room.live.pids()["engine"], signal.SIGKILL)
        assert room.wait_for("ERROR") == "ERROR"
        room.wait_for("never", max_seconds=0.3)
        assert "the engine process was killed by SIGKILL" in room.problem.value
        with pytest.raises(RuntimeError, match="the engine process was killed by SIGKILL"):
            room.live.result()                    # as run() raises it
    finally:
        room.close()


@pytest.mark.parametrize("design, word, outcome", [("single", "DEADLOCK", "deadlock"),
                                                   ("split", "RUNNING", "unfinished")])
def test_a_run_stopped_midway_keeps_what_it_came_to(design, word, outcome, nothing_left):
    live = live_run(story(design=design, request_size=500))
    try:
        live.send("get 500")
        live.send("ping")
        assert live.wait_for(word, "SHIM EXITED") == word
    finally:
        live.stop()
    assert live.result().outcome == outcome


def test_a_click_after_stop_is_refused_with_a_sentence(nothing_left):
    live = live_run(story())
    live.stop()
    with pytest.raises(RuntimeError, match="this live run was stopped"):
        live.send("ping")


def test_the_boards_pipe_table_names_only_the_pipe_it_was_given():
    board = Board.create(["a"], ["x", "y"])
    rfd, wfd = open_pipe("x", 2)
    try:
        board.show_pipe("x", rfd)
        write_record(wfd, encode("x", PLAIN.pack("item")))
        [(pid, fd, inode)] = board.pipes("x")
        assert (pid, fd) == (os.getpid(), rfd) and board.pipes("y") == []
        assert kernel.pipe_state(pid, fd, inode) == (1, 2)
        assert kernel.pipe_state(pid, fd, inode + 1) is None    # a reused fd is not taken
        board.hide_pipe("x", rfd)
        assert board.pipes("x") == []
    finally:
        os.close(rfd), os.close(wfd)
        board.close()


def notebook_10():
    import nbformat

    from lessons.views.linux_only import body
    from tests.paths import NOTEBOOKS
    cells = nbformat.read(NOTEBOOKS / "10-in-the-wild.ipynb", 4).cells
    return {cell.get("id"): body(cell.source) for cell in cells}


def test_notebook_10s_control_room_does_what_its_prose_says(nothing_left):
    """The prediction's answer (e3d46d76) and the things to try (52a3c2f1), clicked."""
    cells = notebook_10()
    assert "notifications` reads 4/4 FULL" in cells["e3d46d76"]
    assert "`c_buffer` reads 1/4" in cells["e3d46d76"]
    code = {}
    exec(cells["f4358568"], code)          # story = Scenario(..., runtime="processes", ...)
    exec(cells["30baa237"].rpartition("\n")[0], code)   # all but the last line, which shows it
    room = code["room"]
    try:
        room.buttons["Send big request"].click()
        room.buttons["Send ping"].click()
        assert room.wait_for("DEADLOCK", "SHIM EXITED") == "DEADLOCK"
        room.wait_for("never", max_seconds=0.6)
        assert room.depths["notifications"].value == "4/4  FULL"
        assert room.depths["c_buffer"].value == "1/4"
        assert room.wait_for("SHIM EXITED") == "SHIM EXITED"
        assert room.depths["notifications"].value == "4/4  FULL"     # kept, as the prose says
        tries = cells["52a3c2f1"]
        assert "`design` split, then the same two clicks. The banner ends at COMPLETED" in tries
        room.knobs["design"].value = "split"
        room.buttons["Reset"].click()
        room.buttons["Send big request"].click()
        room.buttons["Send ping"].click()
        assert room.wait_for("COMPLETED", "SHIM EXITED", "DEADLOCK") == "COMPLETED"
        assert "`client` stalled and a big request: STALL. `stream` fills, then `notifications`" in tries
        room.knobs["client"].value = "stalled"
        room.buttons["Reset"].click()
        room.buttons["Send big request"].click()
        assert room.wait_for("STALL", "DEADLOCK", "SHIM EXITED") == "STALL"
        room.wait_for("never", max_seconds=0.6)
        assert room.depths["stream"].value == "2/2  FULL"
        assert room.depths["notifications"].value == "4/4  FULL"
        assert "`channel_capacity` 3: refused beside the knob" in tries
        room.knobs["channel_capacity"].value = 3
        assert "channel_capacity must be a power of two" in room.errors["channel_capacity"].value
        assert "no seed can repeat it" in tries and room.replay.value.startswith("no replay")
    finally:
        exec(cells["aff94a56"], code)      # room.close()


def test_resets_and_interrupts_at_any_moment_leave_nothing_behind(nothing_left):
    """Ten rooms reset at a different moment each, from launch to the timer's exit, and
    ten first clicks interrupted (Ctrl-C, the kernel's interrupt button) while they launch."""
    room = ControlRoom(story())
    try:
        for i in range(10):
            room.buttons["Send big request"].click()
            room.buttons["Send ping"].click()
            room.wait_for("never", max_seconds=0.2 * i)
            room.buttons["Reset"].click()
            assert room.banner.value == "READY"
    finally:
        room.close()
    for i in range(10):
        live = live_run(story())
        try:   # from the launch (about 0.2 s) to the deadlock: a lost Ctrl-C fails here
            interrupted(lambda: (live.send("get 32"), live.send("ping"),
                                 live.wait_for("never", max_seconds=5)), 0.0005 + 0.03 * i)
        finally:
            live.stop()
