"""The shim's gRPC wire: a server in a child process, a client here, small windows."""
import itertools
import os
import subprocess
import sys
import tempfile
import time

import pytest

from lessons.runtime.linux import kernel
from lessons.runtime.linux.reaper import Children, census
from lessons.story.processes.grpc_wire import ShimClient, items
from lessons.story.requests import Item, Request
from tests.paths import REPO
from tests.wild_census import settled_census

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux only")
COUNT = 200
SECRET = "the test's secret"
ids = itertools.count(1)


def get(count):
    return Request(next(ids), "get", None, count, None)


def data(count):
    return [Item(0, "data", None, i, count) for i in range(1, count + 1)]


@pytest.fixture
def shim_server():
    """(Popen, socket path) of a server whose streams are bounded by a window of 2 records."""
    with Children() as children, tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "shim.sock")
        proc = children.start([sys.executable, "-m", "tests.wild_grpc_server",
                               str(os.getpid()), "2", path],
                              cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        proc.stdin.write(f"{SECRET}\n".encode())
        proc.stdin.flush()
        assert proc.stdout.readline() == b"listening\n"
        try:
            yield proc, path
        finally:
            proc.stdin.close()
            proc.stdout.close()


def read(call, count=None):
    """The items read from `call` (`count` of them, or all), with their request ids as 0."""
    found = items(call) if count is None else itertools.islice(items(call), count)
    return [item._replace(request=0) for item in found]


def written_when_still(client):
    """How many items the server's producer wrote, once that number stops changing."""
    last = None
    while True:
        now = client.ping(Request(next(ids), "ping", None, None, None)).result(timeout=10).id
        if now == last:
            return now
        last = now
        time.sleep(0.2)


def test_a_client_that_stops_reading_stops_the_producer_after_a_window(shim_server):
    proc, path = shim_server
    with ShimClient(path, SECRET) as client:
        call = client.stream(get(COUNT))
        assert read(call, 3) == data(COUNT)[:3]
        # 3 read + 1 in gRPC's pending send + 2 in the shim's pipe: nothing else buffers.
        assert written_when_still(client) == 3 + 1 + 2
        producer = next(t for t in kernel.threads_of(proc.pid) if t.comm == "shim.main")
        assert kernel.blocked_in_pipe(producer) and producer.syscall == "write"
        assert read(call) == data(COUNT)[3:]   # reading on delivers everything
        assert written_when_still(client) == COUNT


def test_the_client_leaves_no_thread_fd_or_socket_behind(shim_server):
    _, path = shim_server
    sockets = census(children=False).sockets   # the suite's own (a notebook test's event loop)
    with ShimClient(path, SECRET) as client:
        read(client.stream(get(5)))
    # Once the warm-up's socket is closed. The server's abandoned streams are its own affair.
    before = settled_census(census(children=False)._replace(sockets=sockets), children=False)
    for _ in range(3):
        with ShimClient(path, SECRET) as client:
            call = client.stream(get(COUNT))
            next(call)   # abandoned mid-stream: close() must cancel it
    assert settled_census(before, children=False) == before
