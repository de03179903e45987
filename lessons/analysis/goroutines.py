"""A Go goroutine dump, read: what a SIGQUIT with GOTRACEBACK=all prints, and what
runtime.Stack(buf, true) returns, in the same format.

    goroutine 17 [chan send, locked to thread]:
    main.goNotify(0x1, 0x0, 0x0?, 0x19e, 0x2710)
            /path/engine.go:63 +0xf9

    goroutine 21 [select, 2 minutes]:
    main.(*Shim).mainGoroutine(0xc000103d50)
            /path/shim.go:67 +0x86
    created by main.run
            /path/main.go:79 +0x70a

Each goroutine: its id, its state as Go names it ("chan send", "chan receive",
"select", "syscall" for a cgo call, "running", ...), how long it has waited (when Go
says, from a minute on), whether it is locked to its OS thread (a C thread calling
into Go always is), and its frames, innermost first.
"""
import re
from dataclasses import dataclass, field

HEADER = re.compile(r"^goroutine (\d+) \[([^\]]*)\]:$")
FRAME = re.compile(r"^(\S.*)\(([^()]*)\)$")


@dataclass(frozen=True)
class Frame:
    function: str          # "main.(*Shim).mainGoroutine"
    args: str              # as printed: "0xc000103d50"
    where: str = ""        # "/path/shim.go:67 +0x86"


@dataclass(frozen=True)
class Goroutine:
    id: int
    state: str                              # "chan send", "select", "syscall", ...
    waited: str = ""                        # "2 minutes", when Go says
    locked: bool = False                    # locked to its thread
    frames: tuple = field(default_factory=tuple)
    created_by: str = ""                    # the function that started it ("" for main)

    def calls(self, function):
        """The innermost frame running `function` (a name or its end), or None."""
        return next((f for f in self.frames
                     if f.function == function or f.function.endswith("." + function)), None)

    def top(self):
        return self.frames[0].function if self.frames else ""


def parse(text):
    """Every goroutine in a dump, in the order printed (lines outside them are skipped)."""
    found, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        head = HEADER.match(lines[i])
        if not head:
            i += 1
            continue
        block = []
        i += 1
        while i < len(lines) and lines[i].strip():
            block.append(lines[i])
            i += 1
        found.append(goroutine(int(head.group(1)), head.group(2), block))
    return found


def goroutine(gid, bracket, block):
    words = [w.strip() for w in bracket.split(",")]
    state, extra = words[0], words[1:]
    waited = next((w for w in extra if "minute" in w), "")
    frames, created_by = [], ""
    j = 0
    while j < len(block):
        line = block[j]
        where = block[j + 1].strip() if j + 1 < len(block) and block[j + 1].startswith("\t") else ""
        if line.startswith("created by "):
            created_by = line[len("created by "):].split(" in goroutine")[0]
        else:
            m = FRAME.match(line)
            if m:
                frames.append(Frame(m.group(1), m.group(2), where))
        j += 2 if where else 1
    return Goroutine(gid, state, waited, "locked to thread" in extra, tuple(frames), created_by)


def table(goroutines):
    """One line per goroutine: id, state, innermost function of the program's own code."""
    return "\n".join(f"goroutine {g.id:>3} [{g.state}{', locked to thread' if g.locked else ''}]"
                     f"  {own(g) or g.top()}" for g in goroutines)


def own(g, package="main."):
    """The innermost frame in the program's own package (not the runtime's or a library's)."""
    return next((f.function for f in g.frames if f.function.startswith(package)), "")
