"""The shim's gRPC wire: a server in a child process, a client here, small windows."""
import os
import subprocess
import sys
import time

import pytest

from lessons.runtime.linux import kernel
from lessons.runtime.linux.reaper import Children, census, settled_census
from lessons.story.processes.grpc_wire import ShimClient
from tests.paths import REPO

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux only")
COUNT = 200


@pytest.fixture
def shim_server():
    """(Popen, port) of a server whose streams are bounded by a window of 2 records."""
    with Children() as children:
        proc = children.start([sys.executable, "-m", "tests.wild_grpc_server",
                               str(os.getpid()), "2"],
                              cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        port = int(proc.stdout.readline())
        try:
            yield proc, port
        finally:
            proc.stdin.close()
            proc.stdout.close()


def written_when_still(client):
    """How many items the server's producer wrote, once that number stops changing."""
    last = None
    while True:
        now = client.ping("how many").result(timeout=10)
        if now == last:
            return now
        last = now
        time.sleep(0.2)


def test_a_client_that_stops_reading_stops_the_producer_after_a_window(shim_server):
    proc, port = shim_server
    with ShimClient(port) as client:
        call = client.stream(COUNT)
        read = [next(call) for _ in range(3)]
        assert read == [0, 1, 2]
        # 3 read + 1 in gRPC's pending send + 2 in the shim's pipe: nothing else buffers.
        assert written_when_still(client) == 3 + 1 + 2
        producer = next(t for t in kernel.threads_of(proc.pid) if t.comm == "shim.main")
        assert kernel.blocked_in_pipe(producer) and producer.syscall == "write"
        assert list(call) == list(range(3, COUNT))   # reading on delivers everything
        assert written_when_still(client) == COUNT


def test_the_client_leaves_no_thread_fd_or_port_behind(shim_server):
    _, port = shim_server
    with ShimClient(port) as client:
        list(client.stream(5))
    # Once the warm-up's socket is closed. The server's abandoned streams are its own affair.
    before = settled_census(census(children=False)._replace(sockets=0), children=False)
    for _ in range(3):
        with ShimClient(port) as client:
            call = client.stream(COUNT)
            next(call)   # abandoned mid-stream: close() must cancel it
    assert settled_census(before, children=False) == before
