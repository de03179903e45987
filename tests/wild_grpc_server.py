"""A child process for tests/test_wild_grpc.py: a gRPC server shaped like the shim's.

    python -m tests.wild_grpc_server PARENT_PID STREAM_WINDOW

A Stream call for `count` items starts a producer thread named `shim.main` that writes
them into a pipe of STREAM_WINDOW records (the shim's bounded side of the stream); the
call's generator reads that pipe and yields. Ping returns how many items were written.
Prints the port, then serves until the parent closes stdin.
"""
import sys
import threading

from lessons.primitives.pipechan import PipeChan, Waiter
from lessons.primitives.pipes import open_pipe
from lessons.runtime.linux import prctl
from lessons.story.processes import grpc_wire

written = []


def main(parent, window):
    prctl.die_with_parent(parent)

    def stream(count, context):
        rfd, wfd = open_pipe("stream_window", window)
        pipe = PipeChan(Waiter(), "stream", window, rfd, wfd)

        def produce():
            prctl.name_thread("shim.main")
            for i in range(count):
                pipe.send(i)
                written.append(i)
        threading.Thread(target=produce, name="shim.main", daemon=True).start()
        for _ in range(count):
            yield pipe.recv()

    server, port = grpc_wire.serve(stream, lambda request, context: len(written))
    print(port, flush=True)
    sys.stdin.read()
    server.stop(None)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
