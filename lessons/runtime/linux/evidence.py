"""What was seen of a processes run: stacks, the kernel's view, pipes and who holds them.

Gathered the moment a verdict is confirmed (while the processes still stand as they
were), and completed with the shim's exit when its timer fires. Typed records
(records.py), which `Result.to_dict()` carries as JSON and `describe` prints for people.
"""
import os
import signal
import time
from contextlib import contextmanager

from lessons.analysis.waitfor import BLOCKED

from . import kernel, stacks_dump
from .records import Blocked, Evidence, Kernel, Pipe, Process, Stacks, Thread

STACK_SECONDS = 5.0   # bounds each py-spy dump


def _where(pid, roles):
    return next((role for role, p in roles.items() if p == pid), f"pid {pid}")


def blocked_actor(name, slot, pid, roles, holders, now):
    """One blocked actor: what it published, what the kernel says, the pipe behind it."""
    view = kernel.thread_view(pid, slot.tid)
    seen = dict(actor=name, process=_where(pid, roles), pid=pid, tid=slot.tid,
                waits=" or ".join(f"{op} {chan}" for chan, op in slot.cases),
                timer=bool(slot.deadline), blocked_for=round(now - slot.since, 3))
    if view is None:
        return Blocked(**seen, kernel=None)
    polled = kernel.poll_fds(pid, view) if view.syscall in kernel.POLLS else None
    fds = [view.fd] if view.fd is not None else [fd for fd, _ in polled or ()]
    return Blocked(**seen, kernel=Kernel(view.comm, view.state, view.wchan, view.syscall),
                   pipes=[pipe_seen(pid, fd, slot.cases[i][0] if i < len(slot.cases) else "?",
                                    roles, holders) for i, fd in enumerate(fds)])


def pipe_seen(pid, fd, channel, roles, holders):
    """The pipe behind `fd` of `pid`: its inode, how full it is, who holds each end."""
    inode = kernel.pipe_inode(pid, fd)
    ends = holders.get(inode, {})
    state = kernel.pipe_state(pid, fd)
    return Pipe(channel, fd, inode, state and state[0], state and state[1],
                read_end=[f"{_where(p, roles)} fd {f}" for p, f in ends.get("read", [])],
                write_end=[f"{_where(p, roles)} fd {f}" for p, f in ends.get("write", [])])


def gather(board, actor_pids, roles, dump_files, pipes=None):
    """Everything seen now, as an Evidence of processes, blocked actors and pipes.
    `roles`: process name -> pid; `actor_pids`: actor -> pid; `pipes`: channel ->
    (pid, fd) of the pipes between processes, to show how full each is.

    The kernel's view first: dumping stacks stops each process for a moment, after which
    a wait with a timeout shows as restart_syscall.
    """
    now = time.monotonic()
    holders = kernel.pipe_holders(roles.values())
    blocked = []
    for name in board.actors:
        slot, _ = board.read(name)
        if slot.state == BLOCKED and name in actor_pids:
            blocked.append(blocked_actor(name, slot, actor_pids[name], roles, holders, now))
    threads = {role: [Thread(v.tid, v.comm, v.state, v.wchan, v.syscall)
                      for v in kernel.threads_of(pid)] for role, pid in roles.items()}
    # The pipes too, before the dumps: those take seconds on a busy machine, and a timer
    # due meanwhile ends the processes, after which no pipe can be read (the flake hunt
    # saw every pipe's depth as None once).
    between = [pipe_seen(pid, fd, name, roles, holders) for name, (pid, fd) in (pipes or {}).items()]
    processes = {role: Process(pid, threads[role], Stacks(d.tool, d.why, d.text))
                 for (role, pid), d in zip(roles.items(), dumps(roles, dump_files))}
    return Evidence(processes=processes, blocked=blocked, pipes=between)


def dumps(roles, dump_files):
    """Each process's stacks (stacks_dump.Dump), in the order of `roles`, the run's other
    processes held still while one is dumped (ours excepted: it is the one dumping)."""
    done = []
    for role, pid in roles.items():
        with held_still(p for p in roles.values() if p not in (pid, os.getpid())):
            done.append(stacks_dump.dump(pid, dump_files.get(role), STACK_SECONDS))
    return done


@contextmanager
def held_still(pids):
    """The processes `pids` stopped (SIGSTOP) for the block, continued after it, however
    it ends. A dump takes seconds on a busy machine; a timer due meanwhile in another of
    the run's processes (the shim's) would end it, and the process being dumped with it
    (the engine, the reader of its pipe gone): the flake hunt saw a process with no
    stacks that way 17 times in 38 ping deadlocks at load 20. Stopped, a timer fires
    late, never during a dump: its wait returns once the process is continued."""
    stopped = []
    try:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGSTOP)
            except ProcessLookupError:   # already gone: nothing to hold
                continue
            stopped.append(pid)
        yield
    finally:
        for pid in stopped:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass


def describe(evidence):
    """The evidence (records.Evidence) as text: the kernel's view of each blocked actor,
    then each stack dump."""
    lines = [pipe_line(p) for p in evidence.pipes or ()]
    for b in evidence.blocked or ():
        k = b.kernel
        lines.append(f"{b.actor} ({b.process} pid {b.pid}, tid {b.tid}): "
                     f"waits to {b.waits}{' with a timer' if b.timer else ''} "
                     f"for {b.blocked_for:g} s; kernel: {k and k.state} in "
                     f"{k and k.syscall} (wchan {k and k.wchan})")
        lines.extend("    " + pipe_line(p) for p in b.pipes or ())
    for role, proc in (evidence.processes or {}).items():
        stacks = proc.stacks
        how = stacks.tool or "no tool could dump it"
        why = f" (py-spy not used: {stacks.why_not_py_spy})" if stacks.why_not_py_spy else ""
        lines.append(f"\n{role} (pid {proc.pid}): stacks by {how}{why}")
        lines.extend("    " + line for line in stacks.text.rstrip().splitlines())
    if evidence.goroutines:   # runtime go: the goroutine dump the verdict was read from
        lines.append("\ngoroutines (id, state, innermost function of the program's own):")
        lines.extend("    " + line for line in evidence.goroutines.splitlines())
    if evidence.shim_exit:
        exit_ = evidence.shim_exit
        lines.append(f"\nshim exited with status {exit_.status}: {exit_.message}")
    return "\n".join(lines)


def pipe_line(p):
    return (f"{p.channel}: fd {p.fd} = pipe:[{p.inode}] {p.depth}/{p.capacity} "
            f"records; read end: {', '.join(p.read_end) or 'nobody'}; write end: "
            f"{', '.join(p.write_end) or 'nobody'}")
