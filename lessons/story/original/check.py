"""What a Scenario with runtime `go` must satisfy, checked when it is made: the Go program
has the two designs of the story built in, its stream holds at least two items (one in
gRPC on its way to the client, one in the handler's Send: original/streams.go), and it
runs on Linux (whether Go is installed is said when the run starts: build.py)."""
from lessons.runtime.go import check_platform

KNOWN = ("single", "split")
MIN_STREAM = 2


def check(scenario):
    check_platform()
    if not isinstance(scenario.design, str) or scenario.design not in KNOWN:
        raise ValueError("design: runtime go runs the original Go program, which has the "
                         "story's two designs built in (single, split); run a design of "
                         "your own with runtime 'threads', 'sim' or 'processes'")
    if scenario.stream_window < MIN_STREAM:
        raise ValueError(f"stream_window must be from {MIN_STREAM} to 1000 for runtime go: "
                         f"gRPC holds one item on its way to the client and the handler one "
                         f"it is sending, got {scenario.stream_window}")
