"""Another Unix user on the same machine cannot reach a learner's processes run.

As root (CI runs as root), a throwaway user is made for the test run and removed after.
While a learner's live run on real processes goes on, that user tries what a classmate on
a shared hub could: read the run's files, its processes' command lines, environments and
open fds (the board), connect to every socket the shim listens on, and send it requests
(a pickle that would make a directory if it were unpickled, and well-formed `get 5000`s
in the old and the new wire formats). Every attempt must be refused, the secret must show
up nowhere, and the learner's run must keep its own verdict. The code the user runs is
tests/wild_intruder.py; what it found goes in the assertion messages.
"""
import json
import os
import pickle
import shutil
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path

import pytest

from lessons import Scenario
from lessons.story.processes.wire import shim_pb2 as pb
from lessons.story.requests import Request
from lessons.tools.live import live_run
from tests.wild_census import nothing_left  # noqa: F401 (a fixture)
from tests.wild_wire import MakesADirectory, delivered

pytestmark = [
    pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux only"),
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root, to make a throwaway Unix user"),
    pytest.mark.skipif(shutil.which("useradd") is None, reason="needs useradd and userdel"),
]
INTRUDER = Path(__file__).with_name("wild_intruder.py")
SERVICES = ("/lessons.Shim", "/lessons.shim.v1.Shim")   # the wire's service before and after
                                                        # its schema: both are tried


@pytest.fixture
def other_user():
    """(name, uid, gid) of a Unix user made for this test, removed afterwards."""
    name = f"wire{uuid.uuid4().hex[:10]}"
    subprocess.run(["useradd", "--no-create-home", "--user-group", "--shell",
                    "/usr/sbin/nologin", name], check=True, capture_output=True)
    try:
        ids = subprocess.run(["id", "-u", name], check=True, capture_output=True, text=True)
        gids = subprocess.run(["id", "-g", name], check=True, capture_output=True, text=True)
        yield name, int(ids.stdout), int(gids.stdout)
    finally:
        subprocess.run(["userdel", name], check=True, capture_output=True)


def as_user(user, args, **kw):
    _, uid, gid = user
    return subprocess.run(args, user=uid, group=gid, extra_groups=[], cwd="/",
                          capture_output=True, text=True, timeout=120, **kw)


def python_for(user):
    """(python, environment) the user can run: one of our version, with our site-packages
    (and so gRPC) on its path, if there is one; else any python3 (no gRPC calls then)."""
    ours = f"{sys.version_info[0]}.{sys.version_info[1]}"
    site = sysconfig.get_paths()["platlib"]
    found = None
    for python in dict.fromkeys([sys.executable, os.path.realpath(sys.executable),
                                 shutil.which("python3"), "/usr/bin/python3"]):
        if not python:
            continue
        try:
            got = as_user(user, [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        except OSError:
            continue
        if got.returncode == 0 and got.stdout.strip() == ours:
            return python, {"PYTHONPATH": site, "PATH": "/usr/bin:/bin"}
        if got.returncode == 0 and found is None:
            found = python, {"PATH": "/usr/bin:/bin"}
    if found is None:
        pytest.skip("no Python that the throwaway user may run")
    return found


def endpoints_of(pid):
    """What process `pid` listens on: 'tcp:PORT' for each TCP port, 'unix:PATH' for each
    named Unix socket (read as root from its fds and /proc/net)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        link = os.readlink(f"/proc/{pid}/fd/{fd}")
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes and fields[3] == "0A":   # LISTEN
                found.append(f"tcp:{int(fields[1].split(':')[1], 16)}")
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 8 and fields[6] in inodes:
            found.append(f"unix:{fields[7]}")
    return sorted(set(found))


def calls(marker):
    """The gRPC calls the intruder sends, as (method, streaming, payload hex)."""
    found = {}
    for service in SERVICES:
        found[f"a pickle that makes {marker}, by {service}/Ping"] = (
            f"{service}/Ping", False, pickle.dumps(MakesADirectory(marker)).hex())
        for n in (1, 2, 3):
            found[f"pickled get 5000 #{n} by {service}/Stream"] = (
                f"{service}/Stream", True, pickle.dumps(Request(n, "get", None, 5000, None)).hex())
            found[f"protobuf get 5000 #{n} by {service}/Stream"] = (
                f"{service}/Stream", True,
                pb.Request(id=n, kind=pb.REQUEST_KIND_GET, count=5000).SerializeToString().hex())
    return found


def intrude(user, run, marker):
    """What the other user got from each attempt on `run`."""
    directory = os.path.dirname(run.dump_files["shim"])
    pids = [run.procs["engine"].pid, run.procs["shim"].pid]
    job = {"directory": directory,
           "files": [os.path.join(directory, name) for name in sorted(os.listdir(directory))],
           "pids": pids,
           "fd_paths": [f"/proc/{pid}/fd/{run.board.fd}" for pid in pids],   # the board
           "endpoints": [e.replace("tcp:", "ipv4:127.0.0.1:") for e in endpoints_of(pids[1])],
           "calls": calls(marker)}
    python, env = python_for(user)
    got = as_user(user, [python, "-c", INTRUDER.read_text()], input=json.dumps(job), env=env)
    assert got.returncode == 0, got.stderr
    return job, json.loads(got.stdout)


def test_another_user_can_neither_reach_nor_read_a_learners_run(other_user, tmp_path, nothing_left):
    marker = str(tmp_path / "made-by-a-pickle")
    live = live_run(Scenario(runtime="processes", design="split", client="fast", timeout=60))
    try:
        live.send("get 8")
        assert live.wait_for("COMPLETED") == "COMPLETED"
        run = live.run
        job, seen = intrude(other_user, run, marker)
        live.send("get 64")                        # the learner goes on after the attempts
        result = delivered(live, 72)
    finally:
        live.stop()
    assert seen["uid"] == other_user[1]
    assert job["endpoints"] and all(e.startswith("unix:") for e in job["endpoints"]), job
    refused = [key for key in seen if key.split()[0] in ("read", "list", "environ", "fds",
                                                         "open", "connect")]
    assert len(refused) == len(job["files"]) + 1 + 3 * len(job["pids"]) + len(job["endpoints"])
    assert all(seen[key].startswith("refused") for key in refused), seen
    assert not [key for key, value in seen.items() if "answered" in str(value)], seen
    assert not os.path.exists(marker), "a pickle sent by another user was unpickled"
    assert all(run.wire.secret not in str(value) for value in seen.values())
    assert (result.outcome, result.sent, result.answered, result.delivered) == (
        "completed", 2, 2, 72), seen
