"""How a process of a processes run starts: `python -m lessons.story.processes.child ROLE CONFIG`.

ROLE is `engine` or `shim`; CONFIG names a JSON file from the caller (launch.py), read
once and deleted: the caller's pid, the board's fd and names, the file that faulthandler
writes stacks to, and for each channel this process holds: its capacity, the fds of the
ends it holds (the caller handed them over with the same numbers) and who may use each
end; the shim's also its timer, its design's names, its socket and the run's secret.
Every file the process makes is its owner's alone (umask 077).
"""
import os
import sys

from lessons.primitives.pipechan import PipeChan
from lessons.runtime.linux import prctl, stacks_dump
from lessons.runtime.linux.board import Board
from lessons.runtime.processes import ProcessesRuntime

from . import engine_process, shim_process
from .messages import RECORDS
from .private import read_once

ROLES = {"engine": engine_process.main, "shim": shim_process.main}


def main(role, config):
    prctl.die_with_parent(config["parent"])
    prctl.name_thread(role)              # the process's name in ps and top
    armed = stacks_dump.arm(config["dump_file"])   # the fallback when py-spy cannot attach
    board = Board(config["board"], config["actors"], config["channels"])
    rt = ProcessesRuntime(board, seed=config["seed"], child=True)
    chans = {name: PipeChan(rt, name, capacity, rfd, wfd, senders, receivers, codec=RECORDS)
             for name, (capacity, rfd, wfd, senders, receivers) in config["pipes"].items()}
    for chan in chans.values():
        if chan.rfd is not None:   # each pipe is entered by its reader: one process per channel
            board.show_pipe(chan.name, chan.rfd)
    try:
        ROLES[role](config, rt, chans)
    finally:
        armed.close()


if __name__ == "__main__":
    os.umask(0o077)
    main(sys.argv[1], read_once(sys.argv[2]))
