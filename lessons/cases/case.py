"""One case of the casebook: a real blocking bug, told in our own words, as two programs.

A *program* is `program(rt)`: it makes its primitives and spawns its actors on the runtime
it is given (lessons/runtime/program.py), so `run_program` runs it on sim or real threads
and `explore` searches every schedule of it. Each case is written with the course's
primitives after reading the public report for the shape of the bug; no code is copied.
"""
import inspect
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Case:
    name: str            # the case's name on the command line: `python -m lessons case NAME`
    title: str           # the bug's shape, in a few words
    project: str         # where it happened
    link: str            # the public issue or pull request it comes from
    incident: str        # a paragraph: what happened, in our own words
    buggy: Callable      # program(rt), as it was
    fixed: Callable      # program(rt), after the fix
    fix: str             # what the fix changed, in a sentence or two
    # What to read of each program: functions (shown as their source) and lines of code;
    # by default the program's own function.
    buggy_parts: tuple = ()
    fixed_parts: tuple = ()

    def program(self, fixed=False):
        return self.fixed if fixed else self.buggy

    def source(self, fixed=False):
        """The code to read: the program, or the parts where the bug and the fix are."""
        parts = (self.fixed_parts if fixed else self.buggy_parts) or (self.program(fixed),)
        return "\n".join(part if isinstance(part, str) else inspect.getsource(part)
                         for part in parts)
