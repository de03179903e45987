"""The go runtime (Linux, with Go installed): the story's original system, in Go.

No Python actor runs the shim or the engine here: they are a real Go program
(original/: a gRPC shim whose two goroutines and `notifications` channel are Go's own,
and a single-threaded C engine called through cgo). The client runs in the caller, over
real gRPC, as in the processes runtime. The story launches and watches the program
(story/original/), and reads its verdict off a goroutine dump and the kernel.
"""
from .launched import LaunchedRuntime
from .processes import check_platform

__all__ = ["GoRuntime", "check_platform"]


class GoRuntime(LaunchedRuntime):
    kind = "go"
    runs = "the story's original Go program"
    others = "the control room, LiveRun, the stepper, the explorer and dining"
