"""How a process of a processes run starts: `python -m lessons.wild.child ROLE CONFIG`.

ROLE is `engine` or `shim`; CONFIG is JSON from the caller (see processes.py): the
caller's pid, the board's fd, the file that faulthandler writes stacks to, and for each
channel this process holds: its capacity and the fds of the ends it holds (the caller
handed them over with the same numbers).
"""
import json
import sys

from . import engine_process, prctl, shim_process, stacks_dump
from .board import Board
from .pipechan import PipeChan
from .proc_runtime import ProcessRuntime

ROLES = {"engine": engine_process.main, "shim": shim_process.main}


def main(role, config):
    prctl.die_with_parent(config["parent"])
    prctl.name_thread(role)              # the process's name in ps and top
    armed = stacks_dump.arm(config["dump_file"])   # the fallback when py-spy cannot attach
    rt = ProcessRuntime(Board(config["board"]), seed=config["seed"])
    chans = {name: PipeChan(rt, name, capacity, rfd, wfd, senders, receivers)
             for name, (capacity, rfd, wfd, senders, receivers) in config["pipes"].items()}
    try:
        ROLES[role](config, rt, chans)
    finally:
        armed.close()


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
