"""Every scenario knob, its allowed values, and the check that names it when it is wrong.

One table for the Python API, the CLI and the widgets, so the three cannot disagree, and
`command_line`, which echoes knobs as the command that repeats a run.
"""
import re
import shlex
from dataclasses import dataclass

from lessons.runtime import RUNTIMES

from .client import CLIENTS
from .designs import DESIGNS

# What a command line may write for a number: ASCII digits, as the echo prints them back.
WHOLE = re.compile(r"-?[0-9]+")
DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


@dataclass(frozen=True)
class Knob:
    name: str
    kind: type            # int, float or str
    low: float = None     # numbers: the allowed range
    high: float = None
    choices: tuple = ()   # strings: the allowed values
    help: str = ""

    def allowed(self):
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is int:
            return f"a whole number from {self.low} to {self.high}"
        return f"a number from {self.low:g} to {self.high:g}"

    def parse(self, text):
        """The value a command line's `text` means, checked; ValueError naming the knob."""
        if self.choices:
            return self.check(text)
        pattern = WHOLE if self.kind is int else DECIMAL
        if not pattern.fullmatch(text):
            raise ValueError(f"{self.name} must be {self.allowed()}, got {text!r}")
        return self.check(self.kind(text))

    def check(self, value):
        """Return the value if allowed, else raise ValueError naming the knob and its range."""
        if self.choices:
            ok = isinstance(value, str) and value in self.choices
        elif self.kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high
        else:
            ok = (isinstance(value, (int, float)) and not isinstance(value, bool)
                  and self.low <= value <= self.high)
        if not ok:
            raise ValueError(f"{self.name} must be {self.allowed()}, got {value!r}")
        return float(value) if self.kind is float else value


KNOBS = {k.name: k for k in (
    Knob("design", str, choices=tuple(DESIGNS),
         help="single: the incident's shim; split: the fix"),
    Knob("channel_capacity", int, 1, 1000, help="size of notifications, the go channel buffer"),
    Knob("c_buffer_capacity", int, 1, 1000, help="size of c_buffer, the engine's request buffer"),
    Knob("stream_window", int, 1, 1000, help="the gRPC flow-control window to the client"),
    Knob("request_size", int, 1, 10_000, help="items in the default big request"),
    Knob("client", str, choices=tuple(CLIENTS), help="how the client reads"),
    Knob("read_interval", float, 0.001, 60, help="seconds between reads of a slow client"),
    Knob("timeout", float, 0.001, 86_400, help="the shim's wait for a reply before it exits"),
    Knob("runtime", str, choices=tuple(RUNTIMES),
         help="real threads, the deterministic sim, real processes (Linux), or the original "
              "Go program (Linux, Go)"),
    Knob("seed", int, 0, 2**32 - 1, help="the sim's random seed"),
)}


def command_line(prog, options):
    """`python -m PROG` and `--name value` for each (name, value) pair: the echo that
    repeats a run. None is left out; a float prints short; values are shell-quoted."""
    words = [f"python -m {prog}"]
    for name, value in options:
        if value is not None:
            text = f"{value:g}" if isinstance(value, float) else str(value)
            words.append(f"--{name.replace('_', '-')} {shlex.quote(text)}")
    return " ".join(words)
