"""Another Unix user's attempts on a learner's processes run (tests/test_wild_isolation.py).

Run as that other user, with the code given by `-c` (so it needs no access to the
repository) and a JSON job on stdin: the run's endpoints (TCP ports and Unix socket
paths the shim listens on), its files, its processes, and payloads to send. Prints one
JSON object: what each attempt came to ("refused: ..." or what it got). Needs only the
standard library; with grpc importable it also sends each payload as a gRPC call.
"""
import json
import os
import socket
import sys

SECONDS = 10


def attempt(fn, *args):
    try:
        return fn(*args)
    except OSError as exc:
        return f"refused: {type(exc).__name__}: {exc.strerror}"


def read(path):
    with open(path, "rb") as f:
        return f"read {len(f.read())} bytes"


def read_text(path):
    with open(path, "rb") as f:
        return f"read: {f.read().decode(errors='replace')}"


def listdir(path):
    return f"listed: {sorted(os.listdir(path))}"


def connect(endpoint):
    family = socket.AF_UNIX if endpoint.startswith("unix:") else socket.AF_INET
    port = None if family == socket.AF_UNIX else int(endpoint.rsplit(":", 1)[1])
    address = endpoint[5:] if family == socket.AF_UNIX else ("127.0.0.1", port)
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(SECONDS)
        s.connect(address)
    return "connected"


def call(grpc, endpoint, method, streaming, payload):
    """One gRPC call with raw bytes as its request, and no secret."""
    with grpc.insecure_channel(endpoint) as channel:
        try:
            if streaming:
                got = channel.unary_stream(method)(payload, timeout=SECONDS)
                return f"answered: {sum(1 for _ in zip(range(3), got))} items"
            return f"answered: {len(channel.unary_unary(method)(payload, timeout=SECONDS))} bytes"
        except grpc.RpcError as exc:
            return f"status {exc.code().name}: {exc.details()}"


def main(job):
    seen = {"uid": os.getuid()}
    for path in job["files"]:
        seen[f"read {path}"] = attempt(read, path)
    seen[f"list {job['directory']}"] = attempt(listdir, job["directory"])
    for pid in job["pids"]:
        seen[f"cmdline {pid}"] = attempt(read_text, f"/proc/{pid}/cmdline")
        seen[f"environ {pid}"] = attempt(read_text, f"/proc/{pid}/environ")
        seen[f"fds {pid}"] = attempt(listdir, f"/proc/{pid}/fd")
    for path in job["fd_paths"]:
        seen[f"open {path}"] = attempt(read, path)
    for endpoint in job["endpoints"]:
        seen[f"connect {endpoint}"] = attempt(connect, endpoint)
    try:
        import grpc
    except ImportError:
        seen["grpc"] = "not importable here: no gRPC calls tried"
        return seen
    for endpoint in job["endpoints"]:
        for name, (method, streaming, payload) in job["calls"].items():
            seen[f"{name} to {endpoint}"] = attempt(call, grpc, endpoint, method, streaming,
                                                    bytes.fromhex(payload))
    return seen


if __name__ == "__main__":
    print(json.dumps(main(json.load(sys.stdin))))
