"""The Go program's binary: built by original/build.sh (only when a source changed).

Go is optional for the course: without it, `missing()` says in one sentence what to
install, and nothing here starts a build that cannot succeed.
"""
import shutil
import subprocess
import sys
from pathlib import Path

from lessons.runtime.linux.reaper import Children

ORIGINAL = Path(__file__).resolve().parents[3] / "original"
BUILD = ORIGINAL / "build.sh"
TOOLS = ("go", "protoc", "protoc-gen-go", "protoc-gen-go-grpc", "cc")
GRPC = Path("/usr/share/gocode/src/google.golang.org/grpc")
HOW = ("run 'make original' from the course's folder (it installs Debian's golang-go, "
       "golang-google-grpc-dev, golang-github-golang-protobuf-1-5-dev, protoc-gen-go, "
       "protoc-gen-go-grpc and protobuf-compiler, then builds original/)")
BUILD_SECONDS = 600   # the first build compiles gRPC: about a minute on a 2-core machine


def missing():
    """None when the Go program can be built here, else a sentence saying what to do."""
    if not sys.platform.startswith("linux"):
        return f"runtime go needs Linux (/proc, prctl, the engine's named thread); this is {sys.platform}"
    if not ORIGINAL.is_dir():
        return "the course's original/ folder is not here (an installed copy of the package)"
    absent = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not GRPC.is_dir():
        absent.append("Debian's gRPC for Go")
    if absent:
        return f"runtime go needs {', '.join(absent)}: {HOW}"
    return None


def binary():
    """The path of the built shim (building it first if a source changed); ValueError
    naming the runtime knob when Go is missing, RuntimeError when the build fails."""
    why = missing()
    if why is not None:
        raise ValueError(why)
    # Children, not subprocess.run: on a Ctrl-C, run() kills build.sh but waits for it only
    # a moment, and a build still there is left a zombie (a Go run's census found one).
    with Children() as children:
        build = children.start([str(BUILD)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        out, err = build.communicate(timeout=BUILD_SECONDS)
    if build.returncode != 0:
        raise RuntimeError(f"original/build.sh failed (status {build.returncode}): {err[-2000:]}")
    return out.strip().splitlines()[-1]
