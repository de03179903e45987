"""What a Scenario with runtime `go` must satisfy, checked when it is made: the Go program
has the two designs of the story built in, and runs on Linux (whether Go is installed is
said when the run starts: build.py)."""
from lessons.runtime.go import check_platform

KNOWN = ("single", "split")


def check(scenario):
    check_platform()
    if not isinstance(scenario.design, str) or scenario.design not in KNOWN:
        raise ValueError("design: runtime go runs the original Go program, which has the "
                         "story's two designs built in (single, split); run a design of "
                         "your own with runtime 'threads', 'sim' or 'processes'")
