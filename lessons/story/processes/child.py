"""How a process of a processes run starts: `python -m lessons.story.processes.child ROLE CONFIG`.

ROLE is `engine` or `shim`; CONFIG names a JSON file from the caller (launch.py), read
once and deleted: the caller's pid, the board's fd and names, the file that faulthandler
writes stacks to, the scenario's knobs (its design by name: by_name.py), whether the run
is live, and for each channel this process holds a launch.Pipe: its capacity, the fds of
the ends it holds (the caller handed them over with the same numbers) and who may use
each end; the shim's also its socket and the run's secret.
Every file the process makes is its owner's alone (umask 077).
"""
import os
import sys

from lessons.primitives.pipechan import PipeChan
from lessons.runtime.linux import prctl, stacks_dump
from lessons.runtime.linux.board import Board
from lessons.runtime.processes import ProcessesRuntime
from lessons.story.scenario import Scenario

from . import by_name, engine_process, shim_process
from .launch import Pipe
from .messages import RECORDS
from .private import read_once

ROLES = {"engine": engine_process.main, "shim": shim_process.main}


def main(role, config):
    prctl.die_with_parent(config["parent"])
    prctl.name_thread(role)              # the process's name in ps and top
    armed = stacks_dump.arm(config["dump_file"])   # the fallback when py-spy cannot attach
    board = Board(config["board"], config["actors"], config["channels"])
    knobs = config["scenario"]
    sc = Scenario(**{**knobs, "design": by_name.resolve(knobs["design"])})
    rt = ProcessesRuntime(board, seed=sc.seed, child=True)
    pipes = {name: Pipe(*fields) for name, fields in config["pipes"].items()}
    chans = {name: PipeChan(rt, name, p.capacity, p.rfd, p.wfd, p.senders, p.receivers,
                            codec=RECORDS) for name, p in pipes.items()}
    for chan in chans.values():
        if chan.rfd is not None:   # each pipe is entered by its reader: one process per channel
            board.show_pipe(chan.name, chan.rfd)
    try:
        ROLES[role](config, sc, rt, chans)
    finally:
        armed.close()


if __name__ == "__main__":
    os.umask(0o077)
    main(sys.argv[1], read_once(sys.argv[2]))
