"""How a processes run starts: the pipes, the board, the engine's and the shim's processes.

`launch` makes the run's private directory (private.py: 0700, removed at the end), opens
the board and the pipes between the engine's process and the shim's (c_buffer, replies,
notifications), starts both processes (child.py) with the ends each one uses, and
registers every one of them for clean-up on the caller's ExitStack before it opens the
next. Every channel's name, capacity and ends come from the scenario's shape
(story/shape.py), as the story's System takes them: the processes run the same system,
only wired by pipes. The shim listens on a Unix socket in the run's directory and
answers only calls that carry the run's secret, which `launch` makes and hands to the
shim alone.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

from lessons.primitives.pipes import open_pipe
from lessons.runtime.linux.board import Board
from lessons.runtime.linux.reaper import Children
from lessons.story import shape

from . import by_name, client_side, private

READY_SECONDS = 30.0    # for the shim to import gRPC and listen (a loaded machine is slow)
JOIN_SECONDS = 2.0
BETWEEN = ("c_buffer", "replies", "notifications")   # the pipes from the engine's process to the shim's
IN_ENGINE = ("engine",)
IN_SHIM = ("shim.requests", "shim.main")
CLICKS = shape.CLICKS.name   # on the board of a live run: client.send waits there for the learner


class Pipe(NamedTuple):
    """One channel as a process holds it (in its config: a JSON list in this order)."""
    capacity: int
    rfd: int | None          # the read end's fd, if this process reads it
    wfd: int | None          # the write end's fd, if this process writes it (both None:
                             # the process makes the pipe itself)
    senders: tuple[str, ...]
    receivers: tuple[str, ...]


def pipes(sc, fds):
    """For each process, each channel it holds, as a Pipe; `fds`: {name: (read fd, write
    fd)} of the pipes between the engine's process and the shim's."""
    found = {"engine": {}, "shim": {}}
    for chan in shape.channels(sc):
        ends = (chan.senders, chan.receivers)
        if chan.name in BETWEEN:
            rfd, wfd = fds[chan.name]
            engine_reads = chan.receivers == IN_ENGINE
            found["engine"][chan.name] = Pipe(chan.capacity, rfd if engine_reads else None,
                                              None if engine_reads else wfd, *ends)
            found["shim"][chan.name] = Pipe(chan.capacity, None if engine_reads else rfd,
                                            wfd if engine_reads else None, *ends)
        else:   # requests, handoff, stream: the shim makes its own pipes for these
            found["shim"][chan.name] = Pipe(chan.capacity, None, None, *ends)
    return found


def start(children, role, config, workdir, stderr):
    """Start the `role` process; its config goes in a private file (it may hold the
    secret), so its command line (what ps and py-spy show, to anyone) stays short."""
    path = os.path.join(workdir, f"{role}.json")
    private.write_private(path, config)
    fds = [config["board"]] + [fd for pipe in config["pipes"].values()
                               for fd in (pipe.rfd, pipe.wfd) if fd is not None]
    return children.start([sys.executable, "-m", "lessons.story.processes.child", role, path],
                          pass_fds=fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=stderr)


def read(f):
    """What a child has written to its stderr file so far (pread: the child shares the
    file's offset, so moving it would make the child write over its own lines)."""
    return os.pread(f.fileno(), os.fstat(f.fileno()).st_size, 0).decode(errors="replace")


def wait_for_shim(board, procs, errors):
    """Wait until the shim listens on its socket."""
    deadline = time.monotonic() + READY_SECONDS
    while not board.listening():
        for role, proc in procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"the {role} process ended at start (status "
                                   f"{proc.returncode}): {read(errors[role])[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the shim did not listen within {READY_SECONDS:g} s")
        time.sleep(0.01)


def board_channels(sc, live):
    """The channels' names on the board: the system's, and the learner's clicks if live."""
    return [c.name for c in shape.run_channels(sc, live)]


def launch(sc, stack, live=False):
    """Open the board and the pipes, start engine and shim; each thing is registered on
    `stack` for clean-up before the next one is opened. The caller keeps no pipe end;
    it gets the shim's socket and the secret for its client (`Wire`)."""
    workdir = private.run_directory()
    stack.callback(shutil.rmtree, workdir, ignore_errors=True)
    wire = Wire(private.socket_path(workdir), private.new_secret())
    actors, channels = [a.name for a in shape.actors(sc)], board_channels(sc, live)
    board = Board.create(actors, channels)
    stack.callback(board.close)
    fds = {}
    stack.callback(lambda: [os.close(fd) for pair in fds.values() for fd in pair])
    for chan in shape.channels(sc):
        if chan.name in BETWEEN:
            fds[chan.name] = open_pipe(chan.knob, chan.capacity)
    children = stack.enter_context(Children())
    held = pipes(sc, fds)
    dump_files = {role: os.path.join(workdir, f"{role}.stacks") for role in held}
    errors = {role: stack.enter_context(tempfile.TemporaryFile(dir=workdir)) for role in held}
    procs = {}
    for role in ("engine", "shim"):
        config = {"parent": os.getpid(), "board": board.fd, "actors": actors,
                  "channels": channels, "dump_file": dump_files[role], "pipes": held[role],
                  "scenario": by_name.knobs(sc), "live": live}
        if role == "shim":   # only the shim needs these: the engine never sees the secret
            config.update(socket=wire.path, secret=wire.secret)
        procs[role] = start(children, role, config, workdir, errors[role])
    for pair in fds.values():   # the children hold their ends now
        for fd in pair:
            os.close(fd)
    fds.clear()
    return board, procs, dump_files, errors, held, wire


class Wire:
    """Where the run's client calls the shim, and the secret every call carries."""

    def __init__(self, path, secret):
        self.path, self.secret = path, secret

    def __repr__(self):   # a run's repr, a log or a traceback never shows the secret
        return f"Wire({self.path!r}, secret=...)"


def stop_client(rt, client_view, client, actors):
    """End the client's threads: wake their waits, cancel their calls, join them."""
    rt.stopping.set()
    client_side.stop(client_view)
    client.close()
    for t in actors:
        t.join(JOIN_SECONDS)


