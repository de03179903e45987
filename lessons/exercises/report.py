"""What every check returns: a Report, true when the answer is right, printable as a few
plain lines that end, when something is wrong, with the code that shows it again.

    ✗ not yet
      the story: a big get, then a ping, seed 0: DEADLOCK at t=0 s: ...
      see it again:
        from lessons import Design, Scenario, run
        print(run(Scenario(design=Design('mine', my_requests, my_main, ...), seed=0)).summary())

The "see it again" lines are Python that runs as printed, in the notebook that made the
check's answer (a learner's own functions are named as the notebook names them).
A learner's mistake (a function that raises, returns the wrong kind of thing, or a knob
out of range) becomes a `Mistake`, which a check turns into a "not yet" sentence: never a
traceback.
"""
import functools
import os
from dataclasses import dataclass, field

RIGHT, WRONG = "✓", "✗"


@dataclass
class Report:
    """What a check found: `passed`, plain lines, the run that shows a problem and the
    Python (`replay`) that repeats it."""
    passed: bool
    lines: list[str] = field(default_factory=list)
    evidence: object = None     # the knobs of that run: a Scenario, or dining's Dinner
    replay: str = ""            # code that runs as printed and shows the problem again

    def __bool__(self):
        return self.passed

    def __str__(self):
        head = f"{RIGHT} right" if self.passed else f"{WRONG} not yet"
        lines = [head] + [f"  {line}" for line in self.lines]
        if self.replay:
            lines += ["  see it again:"] + [f"    {line}" for line in self.replay.splitlines()]
        return "\n".join(lines)

    __repr__ = __str__

    def tell_nbgrader(self):
        """Fail the check cell, with this report as the error, when nbgrader runs it
        (Validate or autograde: both set NBGRADER_EXECUTION) and the answer is not right
        yet; in class, do nothing (the printed report says it all, and Run All goes on)."""
        if os.environ.get("NBGRADER_EXECUTION") and not self.passed:
            raise NotYet(str(self))


class NotYet(AssertionError):
    """A check cell's answer, failed for nbgrader: the message is the check's report."""


def right(*lines: str) -> Report:
    return Report(True, list(lines))


def wrong(*lines: str, evidence: object = None, replay: str = "") -> Report:
    return Report(False, list(lines), evidence, replay)


class Mistake(Exception):
    """A mistake in the learner's answer, said as a sentence about it."""


def reports_mistakes(check):
    """A check whose Mistakes (and refused knobs) come back as a "not yet" report."""
    @functools.wraps(check)
    def checked(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        except (Mistake, ValueError) as exc:
            return wrong(str(exc))
    return checked


def ask(fn, *args):
    """Call a learner's function; what it raises becomes a Mistake that says where."""
    try:
        return fn(*args)
    except Exception as exc:  # anything at all: it is the learner's code that raised it
        shown = ", ".join(repr(a) for a in args)
        name = getattr(fn, "__name__", "your function")
        raise Mistake(f"{name}({shown}) raised {type(exc).__name__}: {exc}") from exc


def all_named(*fns) -> bool:
    """Can code call each of these by its name (a lambda has none)?"""
    return all(getattr(fn, "__name__", "").isidentifier() for fn in fns)


UNNAMED = ("# define your functions with def, so they have names to call them by: "
           "then the check prints the code that repeats this run")


def code_lines(*imports: tuple[str, list[str]], call: str) -> str:
    """Import lines, then the call: e.g. code_lines(("lessons", ["run"]), call="run()")."""
    lines = [f"from {module} import {', '.join(sorted(set(names)))}" for module, names in imports]
    return "\n".join(lines + [call])
