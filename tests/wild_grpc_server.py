"""A child process for tests/test_wild_grpc.py: a gRPC server shaped like the shim's.

    python -m tests.wild_grpc_server PARENT_PID STREAM_WINDOW SOCKET   (the secret on stdin)

A Stream call `get N` starts a producer thread named `shim.main` that writes N data
items into a pipe of STREAM_WINDOW records (the shim's bounded side of the stream); the
call's generator reads that pipe and yields. Ping's reply carries, as its id, how many
items were written. Prints `listening`, then serves until the parent closes stdin.
"""
import sys
import threading
from types import SimpleNamespace

from lessons.primitives.pipechan import PipeChan, Waiter
from lessons.primitives.pipes import open_pipe
from lessons.runtime.linux import prctl
from lessons.story.processes import grpc_wire
from lessons.story.processes.messages import RECORDS
from lessons.story.requests import Item

written = []


def main(parent, window, path, secret):
    prctl.die_with_parent(parent)

    def stream(request, context):
        rfd, wfd = open_pipe("stream_window", window)
        pipe = PipeChan(Waiter(), "stream", window, rfd, wfd, codec=RECORDS)

        def produce():
            prctl.name_thread("shim.main")
            for i in range(1, request.count + 1):
                pipe.send(Item(request.id, "data", None, i, request.count))
                written.append(i)
        threading.Thread(target=produce, name="shim.main", daemon=True).start()
        for _ in range(request.count):
            yield pipe.recv()

    server = grpc_wire.serve(stream, lambda request, context: SimpleNamespace(id=len(written)),
                             path, secret)
    print("listening", flush=True)
    sys.stdin.read()
    server.stop(None)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.stdin.readline().strip())
