"""Two prctl(2) calls the run's processes make on themselves (Linux).

- `name_thread`: a Python thread's name stays inside Python; the kernel (and so
  /proc/PID/task/TID/comm, top, gdb) sees only the process's name until the thread sets
  its own with PR_SET_NAME, at most 15 bytes.
- `die_with_parent`: a child asks the kernel for SIGKILL when its parent dies, so a
  parent killed hard (kill -9, a crashed kernel of Jupyter) leaves no orphan behind. The
  signal is tied to the parent *thread* that started the child: start children from a
  thread that lives as long as the run.
"""
import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15
COMM_BYTES = 15   # the kernel keeps 16 bytes, the last one a NUL

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option, arg):
    if _libc.prctl(option, arg, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def name_thread(name):
    """Give the calling thread `name` in the kernel's view (cut to 15 bytes)."""
    _prctl(PR_SET_NAME, ctypes.c_char_p(name.encode()[:COMM_BYTES]))


def die_with_parent(parent_pid, sig=signal.SIGKILL):
    """Be killed with `sig` when the parent dies; exit now if it already has."""
    _prctl(PR_SET_PDEATHSIG, sig)
    if os.getppid() != parent_pid:   # it died before the request took effect
        os._exit(1)
