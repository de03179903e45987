"""What one learner can do to another learner's live processes run, tried from inside the
first learner's kernel (as that Unix user). tests/test_hub.py sends this file's source to
the kernel; it needs only the standard library and grpcio.

A run is found the way the issue found it: its processes by their owner and command line
(/proc is readable by all), its listening sockets by their owner (/proc/net/tcp) or by
their path under a folder the victim owns (/proc/net/unix). Each endpoint is then tried:
a connection, a gRPC request whose pickled body would make a folder if the server
unpickled it, and every file the run's command lines and sockets name.
"""
import glob
import os
import pickle
import socket
import time
import uuid

RUN_MODULE = "lessons.story.processes"   # in the command line of each of a run's processes
TRY_SECONDS = 5.0


def processes(uid):
    """pid -> command line of every process of `uid`."""
    found = {}
    for status in glob.glob("/proc/[0-9]*/status"):
        try:
            with open(status) as f:
                real_uid = next(line.split()[1] for line in f if line.startswith("Uid:"))
            with open(status.replace("status", "cmdline"), "rb") as f:
                cmdline = f.read().split(b"\0")
        except (OSError, StopIteration):
            continue   # ended meanwhile
        if int(real_uid) == uid:
            found[int(status.split("/")[2])] = [a.decode(errors="replace") for a in cmdline if a]
    return found


def run_processes(uid):
    return {pid: args for pid, args in processes(uid).items() if any(RUN_MODULE in a for a in args)}


def listening_tcp(uid):
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in list(f)[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[7]) == uid:   # LISTEN
                    found.add(f"tcp:{int(fields[1].rsplit(':', 1)[1], 16)}")
    return found


def unix_sockets(uid):
    """Bound Unix sockets whose folder belongs to `uid` (its mode may hide what is inside)."""
    found = set()
    with open("/proc/net/unix") as f:
        for line in list(f)[1:]:
            fields = line.split()
            path = fields[7] if len(fields) > 7 else ""
            try:
                if path.startswith("/") and os.stat(os.path.dirname(path)).st_uid == uid:
                    found.add(f"unix:{path}")
            except OSError:
                continue
    return found


def endpoints(uid):
    return sorted(listening_tcp(uid) | unix_sockets(uid))


def wait_for_run(uid, baseline, seconds):
    """The endpoints the victim's run opened since `baseline`, once the run is there."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        new = sorted(set(endpoints(uid)) - set(baseline))
        if new and run_processes(uid):
            return new
        time.sleep(0.05)
    raise TimeoutError(f"no processes run of uid {uid} appeared within {seconds:g} s")


def try_connect(endpoint):
    """'connected', or why not."""
    kind, _, where = endpoint.partition(":")
    family = socket.AF_INET if kind == "tcp" else socket.AF_UNIX
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(TRY_SECONDS)
        try:
            s.connect(("127.0.0.1", int(where)) if kind == "tcp" else where)
        except OSError as refused:
            return f"refused: {refused}"
    return "connected"


class MakeFolder:
    """Unpickled, it makes a folder: proof that a pickle ran code in the receiver."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.mkdir, (self.path,)


def try_request(endpoint, marker):
    """The answer to a gRPC ping carrying a pickle, or why there was none."""
    import grpc
    REFUSALS = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.UNAUTHENTICATED,
                grpc.StatusCode.PERMISSION_DENIED}   # no connection, or no entry
    kind, _, where = endpoint.partition(":")
    target = f"127.0.0.1:{where}" if kind == "tcp" else f"unix:{where}"
    with grpc.insecure_channel(target) as channel:
        call = channel.unary_unary("/lessons.Shim/Ping")
        try:
            return f"answered: {call(pickle.dumps(MakeFolder(marker)), timeout=TRY_SECONDS)!r}"
        except grpc.RpcError as error:
            if error.code() in REFUSALS:
                return f"refused: {error.code().name}"
            return f"reached the server, which failed: {error.code().name} {error.details()}"


def named_files(uid, new_endpoints):
    """The files the run's command lines name, their folders, and its sockets' folders."""
    named = {a for args in run_processes(uid).values() for a in args
             if a.startswith("/") and "/bin/" not in a}
    folders = {os.path.dirname(e[len("unix:"):]) for e in new_endpoints if e.startswith("unix:")}
    return sorted(named | folders | {os.path.dirname(p) for p in named})


def try_read(path):
    try:
        if os.path.isdir(path):
            return f"read: {os.listdir(path)}"
        with open(path, "rb") as f:
            return f"read: {f.read(80)!r}"
    except OSError as refused:
        return f"refused: {refused.strerror}"


def probe(uid, baseline, seconds):
    """Everything tried against `uid`'s live run, and what came of it."""
    new = wait_for_run(uid, baseline, seconds)
    marker = f"/tmp/hub-probe-{uuid.uuid4().hex}"
    return {"endpoints": new,
            "connect": {e: try_connect(e) for e in new},
            "request": {e: try_request(e, marker) for e in new},
            "pickle_ran": os.path.exists(marker), "marker": marker,
            "read": {p: try_read(p) for p in named_files(uid, new)},
            "run_still_live": bool(run_processes(uid))}
