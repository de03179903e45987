"""A child process for tests/test_wild_kernel.py: two named threads block in pipes.

    python -m tests.wild_blocked PARENT_PID FULL_WFD EMPTY_RFD DUMP_FILE

`engine` writes to FULL_WFD (a full pipe) and blocks in write(); `shim.main` reads
EMPTY_RFD (an empty pipe) and blocks in read(). Prints their thread ids, then waits.
"""
import os
import sys
import threading

from lessons.runtime.linux import prctl, stacks_dump


def blocked(name, work):
    def body():
        prctl.name_thread(name)
        work()
    thread = threading.Thread(target=body, name=name, daemon=True)
    thread.start()
    return thread


def main(parent, full_wfd, empty_rfd, dump_file):
    prctl.die_with_parent(parent)
    armed = stacks_dump.arm(dump_file)
    engine = blocked("engine", lambda: os.write(full_wfd, bytes(4096)))
    main_goroutine = blocked("shim.main", lambda: os.read(empty_rfd, 4096))
    print(engine.native_id, main_goroutine.native_id, flush=True)
    sys.stdin.read()   # until the parent closes our stdin (or kills us)
    armed.close()


if __name__ == "__main__":
    main(*map(int, sys.argv[1:4]), sys.argv[4])
