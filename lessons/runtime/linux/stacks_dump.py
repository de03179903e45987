"""A live process's thread stacks, got the way an engineer gets them on a server.

First choice: `py-spy dump --pid P`, which reads the process's memory from outside
(ptrace rules apply) and names every thread. Where it cannot attach (Yama's
ptrace_scope, a container without the capability, py-spy missing), the fallback is
faulthandler: the process armed itself at start (`arm`) to write every thread's stack to
a file on SIGUSR1, and we signal it. Either way a dump is bounded by a timeout and says
which tool made it, and why py-spy was not used when it was not. Never hangs.
"""
import faulthandler
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import namedtuple

from .reaper import Children

DUMP_SIGNAL = signal.SIGUSR1
SETTLE_SECONDS = 0.05   # faulthandler writes from the signal handler; done once the file stops growing

Dump = namedtuple("Dump", "pid tool text why")
Dump.__doc__ = "`text` from `tool` ('py-spy' or 'faulthandler', None if neither worked); `why` py-spy was not used."


def py_spy_path():
    """py-spy next to this Python (a venv's bin), else on PATH, else None."""
    beside = os.path.join(os.path.dirname(sys.executable), "py-spy")
    return beside if os.access(beside, os.X_OK) else shutil.which("py-spy")


def ptrace_rule():
    """Yama's ptrace_scope in words, or None where Yama is not in the kernel."""
    try:
        with open("/proc/sys/kernel/yama/ptrace_scope") as f:
            scope = int(f.read())
    except (OSError, ValueError):
        return None
    return {0: "ptrace_scope 0: any process of the same user may be traced",
            1: "ptrace_scope 1: only descendants may be traced",
            2: "ptrace_scope 2: only with CAP_SYS_PTRACE",
            3: "ptrace_scope 3: no process may be traced"}.get(scope, f"ptrace_scope {scope}")


def with_py_spy(pid, timeout=5.0):
    """(text, None), or (None, one line saying why py-spy could not dump `pid`)."""
    tool = py_spy_path()
    if tool is None:
        return None, "py-spy is not installed (pip install py-spy)"
    # A Jupyter kernel asks every child for colour (CLICOLOR_FORCE, FORCE_COLOR); the
    # evidence is plain text, read by people and parsed by checks.
    plain = {k: v for k, v in os.environ.items() if k not in ("CLICOLOR_FORCE", "FORCE_COLOR")}
    # Children, not subprocess.run: on a Ctrl-C, run() kills py-spy but waits for it only
    # a moment, and a py-spy still there is left a zombie (twenty processes runs, some
    # interrupted, left one in the flake hunt). Leaving the block kills and reaps it.
    with Children() as children:
        spy = children.start([tool, "dump", "--pid", str(pid)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                             env={**plain, "NO_COLOR": "1", "CLICOLOR": "0"})
        try:
            out, err = spy.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"py-spy did not finish within {timeout:g} s"
    if spy.returncode == 0 and out.strip():
        return out, None
    error = next((line for line in err.splitlines() if line.strip()), "no output")
    rule = ptrace_rule()
    return None, f"py-spy could not attach: {error.strip()}" + (f" ({rule})" if rule else "")


def arm(path):
    """In the process to be dumped: write every thread's stack to `path` on SIGUSR1.

    Returns the open file, which must stay open as long as the process may be dumped.
    """
    out = open(path, "a")
    faulthandler.register(DUMP_SIGNAL, file=out, all_threads=True)
    return out


def with_faulthandler(pid, path, timeout=5.0):
    """Signal a process armed with `arm(path)` and return what it wrote, or None."""
    start = os.path.getsize(path)
    try:
        os.kill(pid, DUMP_SIGNAL)
    except ProcessLookupError:
        return None
    deadline = time.monotonic() + timeout
    size, stable_since = start, time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(SETTLE_SECONDS / 5)
        now = os.path.getsize(path)
        if now != size:
            size, stable_since = now, time.monotonic()
        elif size > start and time.monotonic() - stable_since >= SETTLE_SECONDS:
            break
    if size == start:
        return None
    with open(path) as f:
        f.seek(start)
        return f.read()


def own_stacks():
    """This process's threads, by faulthandler (py-spy may not trace its own parent)."""
    with tempfile.TemporaryFile("w+") as out:
        faulthandler.dump_traceback(out, all_threads=True)
        out.seek(0)
        return out.read()


def dump(pid, armed_path=None, timeout=5.0, py_spy=True):
    """Every thread's stack of `pid`: py-spy if it can, else faulthandler (armed, or our own)."""
    why = "not tried"
    if py_spy:
        text, why = with_py_spy(pid, timeout)
        if text is not None:
            return Dump(pid, "py-spy", text, None)
    if pid == os.getpid():
        return Dump(pid, "faulthandler", own_stacks(), why)
    if armed_path is not None:
        text = with_faulthandler(pid, armed_path, timeout)
        if text is not None:
            return Dump(pid, "faulthandler", text, why)
    return Dump(pid, None, "", why)
