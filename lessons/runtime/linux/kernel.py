"""The kernel's view of a run's processes, read from /proc (Linux).

For one thread (`/proc/PID/task/TID/`): its name (`comm`), its scheduler state, the
kernel function it sleeps in (`wchan`) and the system call it is inside (`syscall`:
number and arguments). For one fd: the pipe behind it (`pipe:[INODE]`) and whether it is
the read or the write end (`fdinfo` flags); over a set of processes, who holds each end.

What this kernel (6.x) says, measured by tests/test_wild_kernel.py:
    a writer blocked on a full pipe     wchan anon_pipe_write  syscall write(fd, ...)
    a reader blocked on an empty pipe   wchan anon_pipe_read   syscall read(fd, ...)
    poll() with or without a timeout    wchan poll_schedule_timeout[.constprop.0], syscall poll
    a Python lock or condition wait     wchan futex_do_wait    syscall futex
Older kernels say pipe_write / pipe_read / pipe_wait; match on the words, not the names.
A wait with a timeout that was interrupted (py-spy's attach stops the process for a
moment) goes on as `restart_syscall`, which no longer shows its arguments: look before
dumping stacks.

A thread that has just entered a blocking call is not asleep yet: it has said it will
sleep (`stat` already shows S) but is still on the run queue, above all when it was
preempted right there on a busy machine. The kernel then shows no `wchan` (0), while
`syscall` waits until the thread is off the run queue and names the call. So a thread is
asleep only when `wchan` names a function (`asleep`), and `thread_view` reads `syscall`
before the other files and again after them, so that the view is of one moment.
"""
import fcntl
import os
import platform
import struct
import termios
from collections import namedtuple

from lessons.primitives.pipes import RECORD

# The system calls a waiting thread of ours can be inside, by number, per architecture.
SYSCALLS = {
    "x86_64": {0: "read", 1: "write", 7: "poll", 202: "futex", 230: "clock_nanosleep",
               23: "select", 270: "pselect6", 271: "ppoll", 232: "epoll_wait", 281: "epoll_pwait",
               61: "wait4", 35: "nanosleep", 219: "restart_syscall"},
    "aarch64": {63: "read", 64: "write", 73: "ppoll", 98: "futex", 115: "clock_nanosleep",
                72: "pselect6", 22: "epoll_pwait", 260: "wait4", 101: "nanosleep",
               128: "restart_syscall"},
}.get(platform.machine(), {})
ON_FD = {"read", "write"}             # their first argument is the fd
POLLS = {"poll", "ppoll"}             # their first two: the pollfd array and its length
POLLFD = struct.Struct("iHH")         # struct pollfd {int fd; short events; short revents;}
VIEW_TRIES = 5                        # reads of a thread that keeps moving (thread_view)

ThreadView = namedtuple("ThreadView", "pid tid comm state wchan syscall fd args")
ThreadView.__doc__ = ("One thread as the kernel sees it; `fd` is set when it waits in "
                      "read() or write() on one fd.")


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None


def tasks(pid):
    """The thread ids of a process (empty if it has ended)."""
    try:
        return sorted(int(t) for t in os.listdir(f"/proc/{pid}/task"))
    except FileNotFoundError:
        return []


def thread_names(pid):
    """The name (`comm`) of each thread of `pid` (a thread that ends meanwhile left out)."""
    names = (_read(f"/proc/{pid}/task/{tid}/comm") for tid in tasks(pid))
    return [name for name in names if name is not None]


def thread_view(pid, tid):
    """What the kernel says thread `tid` of `pid` is doing, or None once it has ended.

    Four files, read one after another: a thread that moves meanwhile could show one
    moment's system call with another moment's wchan and state. Reading `syscall` first
    lets a thread about to sleep get off the run queue (see above); reading it again last
    tells whether the thread left that call meanwhile, and then all four are read anew."""
    base = f"/proc/{pid}/task/{tid}/"
    for _ in range(VIEW_TRIES):
        syscall = _read(base + "syscall")
        comm, stat, wchan = (_read(base + n) for n in ("comm", "stat", "wchan"))
        if _read(base + "syscall") == syscall:
            break
    if comm is None or stat is None:
        return None
    state = stat.rpartition(")")[2].split()[0]   # comm may itself hold ')'
    name, fd, args = None, None, ()
    words = (syscall or "").split()
    if words and words[0] not in ("running", "-1"):
        name = SYSCALLS.get(int(words[0]), f"syscall {words[0]}")
        args = tuple(int(w, 16) for w in words[1:7])
        if name in ON_FD:
            fd = args[0]
    return ThreadView(pid, tid, comm, state, wchan if wchan not in (None, "0") else "",
                      name, fd, args)


def threads_of(pid):
    """ThreadView of every thread of `pid`."""
    return [v for v in (thread_view(pid, tid) for tid in tasks(pid)) if v is not None]


def asleep(view):
    """Is this thread asleep (off the run queue, in the kernel function `wchan` names),
    not merely about to sleep?"""
    return view is not None and view.state == "S" and view.wchan != ""


def blocked_in_pipe(view):
    """Is this thread asleep inside a pipe read or write (not merely about to enter one)?"""
    return asleep(view) and view.syscall in ON_FD and "pipe" in view.wchan


def blocked_in_poll(view):
    """Is this thread asleep inside poll() (not merely about to enter it)?"""
    return asleep(view) and view.syscall in POLLS


def poll_fds(pid, view):
    """[(fd, events)] a thread waits on inside poll(), read from its memory; None if not allowed."""
    if view is None or view.syscall not in POLLS or len(view.args) < 2:
        return None
    address, count = view.args[0], view.args[1]
    if not 0 < count <= 64:
        return None
    try:
        with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
            mem.seek(address)
            raw = mem.read(POLLFD.size * count)
    except OSError:          # ptrace rules forbid it, or the thread moved on
        return None
    return [POLLFD.unpack_from(raw, i * POLLFD.size)[:2] for i in range(len(raw) // POLLFD.size)]


# -- fds and pipes --------------------------------------------------------------------
def pipe_inode(pid, fd):
    """The inode of the pipe behind `fd` in `pid`, or None if it is not a pipe."""
    try:
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        return None
    return int(target[6:-1]) if target.startswith("pipe:[") else None


def pipe_state(pid, fd, inode=None):
    """(records in it, records it holds) of the pipe behind `fd` in `pid`, or None.

    Opens the pipe anew through /proc for a moment (as a reader that never reads), so
    the caller needs to hold no end of it. With `inode`: None unless the fd is still
    that pipe (an fd number can be closed and reused meanwhile).
    """
    try:
        mine = os.open(f"/proc/{pid}/fd/{fd}", os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if inode is not None and os.fstat(mine).st_ino != inode:
            return None
        buf = bytearray(4)
        fcntl.ioctl(mine, termios.FIONREAD, buf)
        size = fcntl.fcntl(mine, fcntl.F_GETPIPE_SZ)
    except OSError:
        return None
    finally:
        os.close(mine)
    return int.from_bytes(buf, "little") // RECORD, size // RECORD


def fd_end(pid, fd):
    """'read' or 'write': which end of a pipe `fd` is (from its open flags)."""
    info = _read(f"/proc/{pid}/fdinfo/{fd}") or ""
    flags = next((int(line.split()[1], 8) for line in info.splitlines()
                  if line.startswith("flags:")), 0)
    return {os.O_RDONLY: "read", os.O_WRONLY: "write"}.get(flags & os.O_ACCMODE, "read-write")


def fds(pid):
    try:
        return sorted(int(fd) for fd in os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, PermissionError):
        return []


def pipe_holders(pids):
    """{inode: {'read': [(pid, fd)], 'write': [(pid, fd)]}} over the given processes."""
    holders = {}
    for pid in pids:
        for fd in fds(pid):
            inode = pipe_inode(pid, fd)
            if inode is not None:
                ends = holders.setdefault(inode, {"read": [], "write": []})
                ends.setdefault(fd_end(pid, fd), []).append((pid, fd))
    return holders
