"""The story's original system (original/: a Go gRPC shim and a C engine through cgo), run
from Python: built (build.py), launched and driven by the course's own gRPC client
(run.py), and read off its goroutine dump and the kernel (reading.py).

    from lessons import Scenario, run
    result = run(Scenario(runtime="go", design="single", client="slow", timeout=3))
    result.outcome, result.cycle, result.exit, result.evidence.look
"""
