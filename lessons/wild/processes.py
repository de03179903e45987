"""The story as real processes: engine and shim as OS processes, the client here over gRPC.

    from lessons.wild.processes import run
    result = run(Scenario(design="single", client="slow", timeout=3))
    result.outcome, result.cycle, result.exit, result.evidence

The caller opens the pipes between the processes (c_buffer, replies, notifications),
starts the engine and the shim (lessons/wild/child.py) with the ends each one uses, runs
lessons/client.py's two actors as threads over a real gRPC client, and watches: the
board, checked against the kernel (watch.py). It records the verdict and the evidence the
moment one is confirmed; a deadlock with a timer in it then runs on until the shim exits,
as in the story. Whatever happens, every process and thread it started has ended, and
every fd it opened is closed, when `run` returns or raises (KeyboardInterrupt included).
Replay is not possible here: the kernel schedules, not a seeded scheduler.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import SimpleNamespace

from ..client import client_recv, client_send
from ..runtime import Exit
from ..scenario import DESIGNS, Result
from ..system import REPLIES_CAPACITY, REQUESTS_CAPACITY, System
from ..waitfor import BLOCKED
from . import client_side, evidence
from .board import Board
from .grpc_wire import ShimClient
from .pipes import check_capacity, open_pipe
from .proc_runtime import ProcessRuntime
from .reaper import Children, deferred_interrupts
from .shim_process import HANDOFF_CAPACITY
from .watch import LOOK_SECONDS, Watch

MAX_SECONDS = 120.0     # a run still going after this is stopped where it is (unfinished)
READY_SECONDS = 30.0    # for the shim to import gRPC and listen (a loaded machine is slow)
JOIN_SECONDS = 2.0


@dataclass
class WildResult(Result):
    evidence: dict = field(default_factory=dict)

    def to_dict(self):
        d = super().to_dict()
        d["scenario"]["runtime"] = "processes"
        d["evidence"] = self.evidence
        return d


def check(scenario):
    """Refuse, before anything starts, what this runtime cannot run (ValueError naming the knob)."""
    if not sys.platform.startswith("linux"):
        raise ValueError(f"runtime processes needs Linux (/proc, pipes with F_SETPIPE_SZ, "
                         f"prctl); this is {sys.platform}")
    if scenario.design not in DESIGNS:
        raise ValueError("design: the processes runtime runs the designs 'single' and 'split' "
                         "only (a design of your own lives in this process and cannot be "
                         "sent to the shim's)")
    for knob in ("channel_capacity", "c_buffer_capacity", "stream_window"):
        check_capacity(knob, getattr(scenario, knob))


def pipe_specs(scenario, fds):
    """For each process, the channels it holds: capacity, its read fd, its write fd, ends."""
    caller = scenario.shim_design.engine_caller
    sizes = {"c_buffer": scenario.c_buffer_capacity, "replies": REPLIES_CAPACITY,
             "notifications": scenario.channel_capacity}
    ends = {"c_buffer": ([caller], ["engine"]), "replies": (["engine"], [caller]),
            "notifications": (["engine"], ["shim.main"])}
    engine_reads = {"c_buffer"}

    def spec(name, reads):
        rfd, wfd = fds[name]
        return [sizes[name], rfd if reads else None, None if reads else wfd, *ends[name]]
    return {"engine": {n: spec(n, n in engine_reads) for n in sizes},
            "shim": {n: spec(n, n not in engine_reads) for n in sizes}}


def start(children, role, config, stderr):
    fds = [config["board"]] + [fd for spec in config["pipes"].values() for fd in spec[1:3]
                               if fd is not None]
    return children.start([sys.executable, "-m", "lessons.wild.child", role, json.dumps(config)],
                          pass_fds=fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=stderr)


def wait_for_port(board, procs, errors):
    deadline = time.monotonic() + READY_SECONDS
    while not board.port():
        for role, proc in procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"the {role} process ended at start (status "
                                   f"{proc.returncode}): {read(errors[role])[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the shim did not listen within {READY_SECONDS:g} s")
        time.sleep(0.01)
    return board.port()


def read(f):
    f.seek(0)
    return f.read().decode(errors="replace")


def run(scenario, max_seconds=MAX_SECONDS):
    """Run `scenario` as real processes to the end; a WildResult with the evidence."""
    sc = scenario
    check(sc)
    with ExitStack() as stack:
        with deferred_interrupts():   # a Ctrl-C during the launch waits for its end
            board, procs, dump_files, errors = launch(sc, stack)
        port = wait_for_port(board, procs, errors)
        client = stack.enter_context(ShimClient(port))   # the shim listens: calls connect at once
        rt = ProcessRuntime(board, seed=sc.seed)
        system = client_side.client_system(sc, rt, client)
        actors = [rt.thread("client.send", client_send, system),
                  rt.thread("client.recv", client_recv, system)]
        stack.callback(stop_client, rt, system, client, actors)
        return watch(sc, board, procs, rt, system, dump_files, errors, max_seconds)


def launch(sc, stack):
    """Open the board and the pipes, start engine and shim; each thing is registered on
    `stack` for clean-up before the next one is opened. The caller keeps no pipe end."""
    workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="lessons-run-"))
    board = Board.create()
    stack.callback(board.close)
    fds = {}
    stack.callback(lambda: [os.close(fd) for pair in fds.values() for fd in pair])
    for name, knob, capacity in (("c_buffer", "c_buffer_capacity", sc.c_buffer_capacity),
                                 ("replies", "replies capacity", REPLIES_CAPACITY),
                                 ("notifications", "channel_capacity", sc.channel_capacity)):
        fds[name] = open_pipe(knob, capacity)
    children = stack.enter_context(Children())
    specs = pipe_specs(sc, fds)
    dump_files = {role: os.path.join(workdir, f"{role}.stacks") for role in specs}
    errors = {role: stack.enter_context(tempfile.TemporaryFile()) for role in specs}
    procs = {}
    for role in ("engine", "shim"):
        config = {"parent": os.getpid(), "board": board.fd, "seed": sc.seed,
                  "dump_file": dump_files[role], "pipes": specs[role],
                  "design": sc.design_name, "timeout": sc.shim_timeout,
                  "stream_window": sc.stream_window}
        procs[role] = start(children, role, config, errors[role])
    for pair in fds.values():   # the children hold their ends now
        for fd in pair:
            os.close(fd)
    fds.clear()
    return board, procs, dump_files, errors


def stop_client(rt, system, client, actors):
    """End the client's threads: wake their waits, cancel their calls, join them."""
    rt.stopping.set()
    client_side.stop(system)
    client.close()
    for t in actors:
        t.join(JOIN_SECONDS)


def expected_items(system):
    """What the client should receive for its script (the same rule as lessons/system.py)."""
    return System.expected_items(SimpleNamespace(clicks=None, script=system.script))


def watch(sc, board, procs, rt, system, dump_files, errors, max_seconds):
    """Look until the run is over; the WildResult."""
    me = os.getpid()
    roles = {"engine": procs["engine"].pid, "shim": procs["shim"].pid, "caller": me}
    actor_pids = {"engine": roles["engine"], "shim.main": roles["shim"],
                  "shim.requests": roles["shim"], "client.send": me, "client.recv": me}
    looking = Watch(board, actor_pids, sc.shim_design, rt.t0)
    expected = expected_items(system)
    verdict, seen, exit_, bound_hit = None, {}, None, False
    while True:
        if procs["shim"].poll() is not None:
            exit_, seen["shim_exit"] = shim_exit(procs["shim"], errors["shim"], rt)
            break
        if procs["engine"].poll() is not None:
            raise RuntimeError(f"the engine process died (status {procs['engine'].returncode}): "
                               f"{read(errors['engine'])[-2000:]}")
        if board.answered() == len(system.script) and len(system.ledger.delivered) == expected:
            break
        _, confirmed = looking.look()
        if confirmed is not None and verdict is None:
            verdict = confirmed
            seen = evidence.gather(board, actor_pids, roles, dump_files)
            if not timer_running(board):
                break    # nothing will ever change
        if rt.now() > max_seconds:
            bound_hit = True
            break
        time.sleep(LOOK_SECONDS)
    seen["client"] = {"sent_at": [round(t, 6) for t in system.requests.sent_at],
                      "call_failed": system.stream.failed}
    return result(sc, verdict, exit_, seen, board, system, expected, bound_hit)


def shim_exit(proc, stderr, rt):
    """The shim's exit: status, the story's message (first line), and what it printed."""
    text = read(stderr)
    message = text.strip().splitlines()[0] if text.strip() else ""
    actor = message.split()[0] if message else "shim"
    return (Exit(rt.now(), actor, message),
            {"status": proc.returncode, "message": message, "stderr": text})


def timer_running(board):
    """Does some actor wait with a timer (which will end the run when it fires)?"""
    slots = [board.read(a)[0] for a in ("shim.requests", "shim.main", "engine")]
    return any(s.state == BLOCKED and s.deadline for s in slots)


def result(sc, verdict, exit_, seen, board, system, expected, bound_hit):
    ledger = system.ledger
    done = board.answered() == len(system.script) and len(ledger.delivered) == expected
    if verdict is not None and verdict.kind == "deadlock":
        outcome = "deadlock"
    elif done:
        outcome = "completed"
    elif verdict is not None:
        outcome = "stall"
    else:
        outcome = "unfinished"
    return WildResult(
        scenario=sc, outcome=outcome,
        cycle=list(verdict.cycle) if outcome == "deadlock" else [],
        stuck=list(verdict.stuck) if outcome == "deadlock" else [],
        exit=exit_,
        deadlock_at=verdict.t if outcome == "deadlock" else None,
        stall=list(verdict.chain) if outcome == "stall" else [],
        sent=len(ledger.sent), answered=board.answered(), delivered=len(ledger.delivered),
        expected=expected,
        channels={name: capacity for name, capacity in (
            ("requests", REQUESTS_CAPACITY), ("handoff", HANDOFF_CAPACITY),
            ("c_buffer", sc.c_buffer_capacity), ("replies", REPLIES_CAPACITY),
            ("notifications", sc.channel_capacity), ("stream", sc.stream_window))
            if name != "handoff" or sc.shim_design.handoff},
        bound_hit=bound_hit, evidence=seen)
