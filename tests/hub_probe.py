"""What one learner can do to another learner's live processes run, tried from inside the
first learner's kernel (as that Unix user). tests/test_hub.py sends this file's source to
the kernel; it needs only the standard library and grpcio.

A run is found the way the issue found it: its processes by their owner and command line
(/proc is readable by all), its listening sockets by their owner (/proc/net/tcp) or by
their path under a folder the victim owns (/proc/net/unix). What is found is then tried
by tests/wild_intruder.py, as tests/test_wild_isolation.py tries a run it knows as root:
every file the run's command lines and sockets name, its processes' environments and
fds, a connection to each socket, and a gRPC request whose pickled body would make a
folder if the server unpickled it.
"""
import glob
import os
import pickle
import time
import uuid

RUN_MODULE = "lessons.story.processes"   # in the command line of each of a run's processes
SERVICES = ("/lessons.Shim", "/lessons.shim.v1.Shim")   # the shim's, before and after the wire change


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


def run_paths(uid, new_endpoints):
    """(the run's folder, the files its command lines and sockets name)."""
    files = {a for args in run_processes(uid).values() for a in args
             if a.startswith("/") and "/bin/" not in a}
    files |= {e[len("unix:"):] for e in new_endpoints if e.startswith("unix:")}
    files = sorted(files)
    return os.path.dirname(files[0]), files


def probe(uid, baseline, seconds, intruder, payload):
    """Everything tried against `uid`'s live run, and what came of it: `intruder` is
    tests/wild_intruder.py and `payload` tests/wild_wire.py, loaded in this kernel."""
    new = wait_for_run(uid, baseline, seconds)
    marker = f"/tmp/hub-probe-{uuid.uuid4().hex}"
    pickled = pickle.dumps(payload.MakesADirectory(marker)).hex()
    folder, files = run_paths(uid, new)
    job = {"directory": folder, "files": files,
           "pids": sorted(run_processes(uid)), "fd_paths": [],
           "endpoints": [e.replace("tcp:", "ipv4:127.0.0.1:") for e in new],
           "calls": {f"call {service}/Ping with a pickle": (f"{service}/Ping", False, pickled)
                     for service in SERVICES}}
    return {"job": job, "seen": intruder.main(job), "pickle_ran": os.path.exists(marker),
            "marker": marker, "run_still_live": bool(run_processes(uid))}
