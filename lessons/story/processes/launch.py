"""How a processes run starts: the pipes, the board, the engine's and the shim's processes.

`launch` opens the board and the pipes between the engine's process and the shim's
(c_buffer, replies, notifications), starts both processes (child.py) with the ends each
one uses, and registers every one of them for clean-up on the caller's ExitStack before
it opens the next. Every channel's name, capacity and ends come from the story's own
System, built (never started) in the threads runtime: the processes run the same
system, only wired by pipes.
"""
import base64
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time

from lessons.primitives.pipes import open_pipe
from lessons.runtime.linux.board import Board
from lessons.runtime.linux.reaper import Children
from lessons.story.system import System

from . import client_side

READY_SECONDS = 30.0    # for the shim to import gRPC and listen (a loaded machine is slow)
JOIN_SECONDS = 2.0
BETWEEN = ("c_buffer", "replies", "notifications")   # the pipes from the engine's process to the shim's
IN_ENGINE = ("engine",)
IN_SHIM = ("shim.requests", "shim.main")
CLICKS = "clicks"   # on the board of a live run: client.send waits there for the learner


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


def board_channels(system, live):
    """The channels' names on the board: the system's, and the learner's clicks if live."""
    return [c.name for c in system.channels()] + ([CLICKS] if live else [])


def launch(sc, system, stack, live=False):
    """Open the board and the pipes, start engine and shim; each thing is registered on
    `stack` for clean-up before the next one is opened. The caller keeps no pipe end."""
    workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="lessons-run-"))
    actors, channels = list(system.rt.actors), board_channels(system, live)
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


