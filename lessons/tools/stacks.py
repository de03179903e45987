"""Every actor's stack at the moment the shim exits: the course's version of the story's
stack trace, the one clue the Go process left behind.

    from lessons.tools.stacks import run_with_stacks, format_stacks
    result, stacks = run_with_stacks(Scenario(design="single", seed=3))
    print(format_stacks(stacks))

For a run you build yourself (a LiveRun, say), watch it with a `StacksAtExit` before it
starts; its `stacks` are filled in the instant the timer fires.

The frames come from `sys._current_frames()`, the same view a debugger or Go's crash
dump has: where each thread *is*, not what it meant to do. Frames of the runtimes'
machinery are left out so that what remains is the system's own code.
"""
import os
import sys
import traceback
from collections import namedtuple
from dataclasses import dataclass

from lessons.analysis.waitfor import doing
from lessons.runtime.observers import Observer
from lessons.story.scenario import run_system
from lessons.story.system import System

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # lessons/
STDLIB = os.path.dirname(os.__file__)
# The course's own machinery, left out like a Go dump's runtime frames: the runtimes,
# the tools that drive them, the wiring that starts each actor, and what every primitive
# shares (its wait_one, between a send and its runtime). The channels stay (a send that
# waits is the clue, as Go shows chansend), and so does the story's code.
MACHINERY = tuple(os.path.join(PACKAGE, *part) for part in
                  (("runtime", ""), ("tools", ""), ("story", "system.py"),
                   ("primitives", "base.py")))


Frame = namedtuple("Frame", "file line function code")


@dataclass
class Stacks:
    """Each actor's frames (outermost first) and state, at time `t`."""
    t: float
    frames: dict      # actor name -> [Frame]
    states: dict      # actor name -> what it was doing, in a few words


def own_frames(frame):
    """The frames of a thread's stack that belong to the system (or a learner's design)."""
    kept = []
    for f in traceback.extract_stack(frame):
        path = os.path.abspath(f.filename)
        name = os.path.basename(path)
        ours = path.startswith(PACKAGE) and not path.startswith(MACHINERY)
        learners = not path.startswith((PACKAGE, STDLIB)) and "site-packages" not in path
        if ours or learners:
            kept.append(Frame(name, f.lineno, f.name, (f.line or "").strip()))
    return kept


def capture(rt):
    """Every actor's stack and state now (call from any thread)."""
    current = sys._current_frames()
    g = rt.graph()
    frames = {}
    for actor in rt.actors.values():
        thread = actor.thread
        alive = thread is not None and thread.is_alive()   # an ended thread's id may be reused
        frame = current.get(thread.ident) if alive else None
        frames[actor.name] = own_frames(frame) if frame is not None else []
    states = {name: doing(node) for name, node in g.nodes.items()}
    return Stacks(g.t, frames, states)


class StacksAtExit(Observer):
    """Keeps every actor's stack (`stacks`) from the instant a process exits."""

    def __init__(self):
        self.stacks = None

    def exiting(self, rt, actor, message):
        if self.stacks is None:
            self.stacks = capture(rt)
            self.stacks.states[actor.name] = "exiting: its timer fired"


def run_with_stacks(target):
    """Run `target` (a Scenario, or a System built for it) like `run`; also return the
    stacks at the shim's exit (None if it never exited)."""
    system = target if isinstance(target, System) else System(target)
    at_exit = system.rt.watch(StacksAtExit())
    return run_system(system), at_exit.stacks


def format_stacks(stacks, actors=None):
    """The stacks as Go prints them: one block per goroutine, innermost call first."""
    if stacks is None:
        return "no stacks: the shim has not exited (yet)"
    blocks = [f"stacks at t={stacks.t:g} s, when the shim's timer fired"]
    for name, frames in stacks.frames.items():
        if actors is not None and name not in actors:
            continue
        lines = [f"\n{name} [{stacks.states.get(name, '?')}]:"]
        for f in reversed(frames):
            # The code gets a line of its own, whole: its comment is often the clue.
            lines.append(f"    {f.function:<19} {f.file}:{f.line}")
            if f.code:
                lines.append(f"        {f.code}")
        if not frames:
            lines.append("    (no stack: the thread has ended)")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)
