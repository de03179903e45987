"""The story as real processes: engine and shim as OS processes, the client here over gRPC.

    from lessons import Scenario, run
    result = run(Scenario(design="single", client="slow", runtime="processes", timeout=3))
    result.outcome, result.cycle, result.exit, result.evidence

`run_in_processes` opens the pipes between the processes (c_buffer, replies,
notifications), starts the engine and the shim (child.py) with the ends each one uses,
runs story/client.py's two actors as threads over a real gRPC client, and watches: the
board, checked against the kernel (runtime/linux/watch.py). It records the verdict and
the evidence the moment one is confirmed; a deadlock with a timer in it then runs on
until the shim exits, as in the story. Whatever happens, every process and thread it
started has ended and every fd it opened is closed when it returns or raises
(KeyboardInterrupt included).

Every channel's name, capacity and ends come from the story's own System, built (never
started) in the threads runtime: the processes run the same system, only wired by pipes.
Replay is not possible here: the kernel schedules, not a seeded scheduler.
"""
import base64
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict

from lessons.analysis.waitfor import BLOCKED
from lessons.primitives.pipes import open_pipe
from lessons.runtime.actor import Exit
from lessons.runtime.linux import evidence
from lessons.runtime.linux.board import Board
from lessons.runtime.linux.reaper import Children, deferred_interrupts
from lessons.runtime.linux.watch import LOOK_SECONDS, Watch
from lessons.runtime.processes import EXIT_STATUS, ProcessesRuntime
from lessons.story.client import client_recv, client_send
from lessons.story.system import System

from . import client_side
from .grpc_wire import ShimClient

READY_SECONDS = 30.0    # for the shim to import gRPC and listen (a loaded machine is slow)
JOIN_SECONDS = 2.0
DEATH_SECONDS = 0.5     # after one process dies, how long the others may take to follow
BETWEEN = ("c_buffer", "replies", "notifications")   # the pipes from the engine's process to the shim's
IN_ENGINE = ("engine",)
IN_SHIM = ("shim.requests", "shim.main")


def plan(sc):
    """The story's System for `sc`, built in the threads runtime and never started."""
    return System(sc.with_(runtime="threads"))


def specs(system, fds):
    """For each process, each channel it holds: [capacity, read fd, write fd, senders,
    receivers] (fds of None: it holds no such end, or makes the pipe itself)."""
    found = {"engine": {}, "shim": {}}
    for chan in system.channels():
        ends = [list(chan.senders), list(chan.receivers)]
        if chan.name in BETWEEN:
            rfd, wfd = fds[chan.name]
            engine_reads = chan.receivers == IN_ENGINE
            found["engine"][chan.name] = [chan.capacity, rfd if engine_reads else None,
                                          None if engine_reads else wfd, *ends]
            found["shim"][chan.name] = [chan.capacity, None if engine_reads else rfd,
                                        wfd if engine_reads else None, *ends]
        else:   # requests, handoff, stream: the shim makes its own pipes for these
            found["shim"][chan.name] = [chan.capacity, None, None, *ends]
    return found


def start(children, role, config, workdir, stderr):
    """Start the `role` process; its config goes in a file, so its command line (what ps
    and py-spy show) stays short."""
    path = os.path.join(workdir, f"{role}.json")
    with open(path, "w") as f:
        json.dump(config, f)
    fds = [config["board"]] + [fd for spec in config["pipes"].values() for fd in spec[1:3]
                               if fd is not None]
    return children.start([sys.executable, "-m", "lessons.story.processes.child", role, path],
                          pass_fds=fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=stderr)


def read(f):
    f.seek(0)
    return f.read().decode(errors="replace")


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


def run_in_processes(sc, max_seconds):
    """Run scenario `sc` as real processes to the end; the Result's fields, as a dict."""
    system = plan(sc)
    with ExitStack() as stack:
        with deferred_interrupts():   # a Ctrl-C during the launch waits for its end
            board, procs, dump_files, errors, held = launch(sc, system, stack)
        port = wait_for_port(board, procs, errors)
        client = stack.enter_context(ShimClient(port))   # the shim listens: calls connect at once
        rt = ProcessesRuntime(board, seed=sc.seed)
        client_view = client_side.client_system(sc, rt, client)
        actors = [rt.thread("client.send", client_send, client_view),
                  rt.thread("client.recv", client_recv, client_view)]
        stack.callback(stop_client, rt, client_view, client, actors)
        between = {name: (procs["engine"].pid, spec[1] if spec[1] is not None else spec[2])
                   for name, spec in held["engine"].items()}   # the engine's end of each
        return watch(system, board, procs, rt, client_view, dump_files, errors, between,
                     max_seconds)


def launch(sc, system, stack):
    """Open the board and the pipes, start engine and shim; each thing is registered on
    `stack` for clean-up before the next one is opened. The caller keeps no pipe end."""
    workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="lessons-run-"))
    actors, channels = list(system.rt.actors), [c.name for c in system.channels()]
    board = Board.create(actors, channels)
    stack.callback(board.close)
    fds = {}
    stack.callback(lambda: [os.close(fd) for pair in fds.values() for fd in pair])
    knobs = {"c_buffer": "c_buffer_capacity", "notifications": "channel_capacity"}
    for chan in system.channels():
        if chan.name in BETWEEN:
            fds[chan.name] = open_pipe(knobs.get(chan.name, f"{chan.name} capacity"), chan.capacity)
    children = stack.enter_context(Children())
    held = specs(system, fds)
    dump_files = {role: os.path.join(workdir, f"{role}.stacks") for role in held}
    errors = {role: stack.enter_context(tempfile.TemporaryFile()) for role in held}
    procs = {}
    for role in ("engine", "shim"):
        config = {"parent": os.getpid(), "board": board.fd, "actors": actors,
                  "channels": channels, "seed": sc.seed, "dump_file": dump_files[role],
                  "pipes": held[role], "timeout": sc.shim_timeout,
                  "design": base64.b64encode(pickle.dumps(sc.shim_design)).decode()}
        procs[role] = start(children, role, config, workdir, errors[role])
    for pair in fds.values():   # the children hold their ends now
        for fd in pair:
            os.close(fd)
    fds.clear()
    return board, procs, dump_files, errors, held


def stop_client(rt, client_view, client, actors):
    """End the client's threads: wake their waits, cancel their calls, join them."""
    rt.stopping.set()
    client_side.stop(client_view)
    client.close()
    for t in actors:
        t.join(JOIN_SECONDS)


def watch(system, board, procs, rt, client_view, dump_files, errors, between, max_seconds):
    """Look until the run is over; the Result's fields."""
    me = os.getpid()
    roles = {"engine": procs["engine"].pid, "shim": procs["shim"].pid, "caller": me}
    actor_pids = {name: roles["engine"] if name in IN_ENGINE else
                  roles["shim"] if name in IN_SHIM else me for name in system.rt.actors}
    ends = {c.name: {"send": c.other_end("send"), "recv": c.other_end("recv")}
            for c in system.channels()}
    outside = {a.name for a in system.rt.actors.values() if a.outside}
    looking = Watch(board, actor_pids, ends, outside, rt.t0)
    expected = system.expected_items()
    ledger = client_view.ledger

    def done():
        return board.answered() == len(system.script) and len(ledger.delivered) == expected

    verdict, seen, exit_, bound_hit = None, {}, None, False
    while not done():
        if any(proc.poll() is not None for proc in procs.values()):
            ended_at = rt.now()
            # One death often takes the other with it (a closed pipe): let it, then see.
            for proc in procs.values():
                try:
                    proc.wait(DEATH_SECONDS)
                except subprocess.TimeoutExpired:
                    pass
            if procs["shim"].returncode == EXIT_STATUS:   # its timer fired, as in the story
                exit_, seen["shim_exit"] = shim_exit(procs["shim"], errors["shim"], ended_at)
                break
            dead = [role for role, proc in procs.items() if proc.poll() is not None]
            raise RuntimeError("; ".join(f"the {role} process died (status "
                                         f"{procs[role].returncode}): {read(errors[role])[-1500:]}"
                                         for role in dead))
        if rt.errors:
            name, exc = rt.errors[0]
            raise RuntimeError(f"{name} crashed: {exc!r}") from exc
        g, confirmed = looking.look()
        if confirmed is not None and verdict is None:
            verdict = confirmed
            seen = evidence.gather(board, actor_pids, roles, dump_files, between)
            seen["graph"] = {"t": round(g.t, 6), "nodes": [asdict(n) for n in g.nodes.values()],
                             "edges": [e._asdict() for e in g.edges]}
            if not timer_running(board, outside):
                break    # nothing will ever change
        if rt.now() > max_seconds:
            bound_hit = True
            break
        time.sleep(LOOK_SECONDS)
    seen["watch"] = looking.report()
    seen["client"] = {"sent_at": [round(t, 6) for t in client_view.requests.sent_at],
                      "call_failed": client_view.stream.failed}
    if verdict is not None and verdict.kind == "deadlock":
        outcome = "deadlock"
    else:
        outcome = "completed" if done() else "stall" if verdict is not None else "unfinished"
    return {
        "outcome": outcome,
        "cycle": list(verdict.cycle) if outcome == "deadlock" else [],
        "stuck": list(verdict.stuck) if outcome == "deadlock" else [],
        "exit": exit_,
        "deadlock_at": verdict.t if outcome == "deadlock" else None,
        "stall": list(verdict.chain) if outcome == "stall" else [],
        "sent": len(ledger.sent), "answered": board.answered(),
        "delivered": len(ledger.delivered), "expected": expected,
        "channels": {c.name: c.capacity for c in system.channels()},
        "bound_hit": bound_hit, "evidence": seen}


def shim_exit(proc, stderr, t):
    """The shim's exit (seen at time `t`): status, the story's message (its first line),
    and what it printed."""
    text = read(stderr)
    message = text.strip().splitlines()[0] if text.strip() else ""
    actor = message.split()[0] if message else "shim"
    return (Exit(t, actor, message),
            {"status": proc.returncode, "message": message, "stderr": text})


def timer_running(board, outside):
    """Does one of the system's actors wait with a timer (which will end the run)?"""
    slots = [board.read(a)[0] for a in board.actors if a not in outside]
    return any(s.state == BLOCKED and s.deadline for s in slots)
