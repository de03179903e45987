"""What a processes run keeps to itself: its directory, its files, its socket, its secret.

The run's directory is made by mkdtemp (mode 0700, the learner's own) and removed when
the run ends; in it, the shim's Unix socket and the children's config and stack files,
each written 0600. A socket's path must fit sun_path (107 bytes): when the temporary
folder's path is too long for that (a hub's TMPDIR can be), the directory goes in /tmp
instead, just as private. A temporary folder the run cannot write to is a sentence
(ValueError naming TMPDIR), not a traceback.

The secret goes to the shim in its config file, in that 0700 directory and itself 0600,
which the shim deletes once read: never on a command line (/proc/PID/cmdline is
world-readable) and not in the environment, which every process the shim might start
would inherit.
"""
import json
import os
import secrets
import tempfile

SUN_PATH = 107            # bytes of a Unix socket's path (sockaddr_un.sun_path, less the NUL)
SOCKET = "shim.sock"
SHORT_BASE = "/tmp"       # where the run's directory goes when the temporary folder's path is long


def run_directory():
    """A new private directory for one run (the caller removes it)."""
    try:
        base = tempfile.gettempdir()
        if len(os.fsencode(os.path.join(base, "lessons-run-xxxxxxxx", SOCKET))) > SUN_PATH:
            base = SHORT_BASE
        return tempfile.mkdtemp(prefix="lessons-run-", dir=base)
    except OSError as exc:
        folder = getattr(exc, "filename", None) or tempfile.tempdir or "the temporary folder"
        raise ValueError(
            f"TMPDIR: the processes runtime needs a private folder for each run in the "
            f"temporary folder, and cannot make one in {folder} "
            f"({exc.strerror or exc}); set TMPDIR to a folder you can write to") from None


def socket_path(directory):
    """The shim's socket in the run's directory; ValueError if it cannot fit sun_path."""
    path = os.path.join(directory, SOCKET)
    if len(os.fsencode(path)) > SUN_PATH:
        raise ValueError(f"TMPDIR: the shim's socket path {path!r} is "
                         f"{len(os.fsencode(path))} bytes, more than a Unix socket's "
                         f"{SUN_PATH}; set TMPDIR to a shorter folder")
    return path


def new_secret():
    """The run's secret: 256 random bits, as hex (gRPC metadata is text)."""
    return secrets.token_hex(32)


def write_private(path, config):
    """Write `config` as JSON to a new file only its owner can read."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(config, f)


def read_once(path):
    """Read a config written by write_private, and delete it (it may hold the secret)."""
    with open(path) as f:
        config = json.load(f)
    os.unlink(path)
    return config
