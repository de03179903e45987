"""The Go program's own text, for reading beside its runs: a function of original/'s
source, a recorded look and SIGQUIT dump (when Go is not installed here), and `go run`
of a small program."""
import os
import re
import subprocess
import tempfile

from lessons.runtime.linux.reaper import Children

from .build import ORIGINAL

SAMPLES = ORIGINAL / "samples"
GO_RUN_SECONDS = 300   # `go run` compiles first: seconds, or a minute on a cold cache


def function(file, name):
    """The Go function (or method) `name` of original/`file`, as written."""
    text = (ORIGINAL / file).read_text()
    start = re.search(rf"^(// .*\n)*func (\([^)]*\) )?{re.escape(name)}\(", text, re.MULTILINE)
    if start is None:
        raise ValueError(f"original/{file} has no function {name}")
    end = text.index("\n}\n", start.start()) + 3
    return text[start.start():end]


def sample(name):
    """A recorded output of the Go program (original/samples/NAME): `incident.look`, what
    the shim wrote on SIGUSR1 during the incident; `incident.sigquit`, its SIGQUIT dump."""
    return (SAMPLES / name).read_text()


def go_run(program):
    """Run the Go source file `program` (original/PROGRAM) with `go run`; (status, output).

    `go run` compiles the program and then starts it as a child of its own. Like the
    build (build.binary), it runs in a process group of its own, so that a Ctrl-C or a
    timeout ends `go` and what it started; subprocess.run would kill `go` alone. `go`
    compiles in a work folder it removes only if it ends on its own (GOTMPDIR): inside
    the run's own folder, it goes with it."""
    with tempfile.TemporaryDirectory(prefix="lessons-go-run-") as folder, Children() as children:
        env = dict(os.environ, GO111MODULE="off", GOPATH=folder, GOTMPDIR=folder,
                   GOCACHE=str(ORIGINAL / "build" / "cache"))
        go = children.start(["go", "run", str(ORIGINAL / program)], env=env, cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = go.communicate(timeout=GO_RUN_SECONDS)
    return go.returncode, out + err
