"""SPIN's verdict on one configuration of system.pml: `spin -a`, `cc`, `./pan`, timed.

    from verify import Config, spin_verdict
    spin_verdict(Config("split", channel_capacity=4, request_size=32, stream_window=2,
                        requests=3))
    # {"verdict": "no-deadlock", "states": 185, "search_s": 0.0, "end_to_end_s": 1.1}

The verifier is built in a temporary directory that is removed afterwards (pan.c, the
binary, and the trail SPIN writes when it finds a deadlock), so nothing is left behind.
With `cache=DIR`, each binary is also kept in DIR under a hash of the sources `spin -a`
wrote for it and the compiler's flags, and used again for the same model and
configuration instead of being compiled anew (the agreement test's 144 builds are most of
its time); end_to_end_s then leaves out a compile that did not happen.
"""
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import namedtuple
from pathlib import Path

MODEL = Path(__file__).with_name("system.pml")

Config = namedtuple("Config", "design channel_capacity request_size stream_window requests "
                              "c_buffer_capacity", defaults=(4,))
Config.__doc__ = """One configuration of the system with a fast client: `requests` is how
many the client sends, a get of `request_size` items, then pings."""

# Sized for the grid's largest state space (a few hundred thousand states without xr/xs):
# 2^20 slots. pan's default of 2^24 would allocate 128 MB per run for nothing.
HASH_BITS = 20
MAX_DEPTH = 100_000     # pan's default (10,000) is below the longest schedules of big answers
PAN_TICK_S = 0.01       # pan measures its own time with times(): hundredths of a second


def request_texts(config):
    return [f"get {config.request_size}"] + ["ping"] * (config.requests - 1)


def explore_options(config):
    """The same configuration as `python -m lessons explore` options."""
    options = ["--design", config.design, "--client", "fast",
               "--channel-capacity", str(config.channel_capacity),
               "--stream-window", str(config.stream_window),
               "--c-buffer-capacity", str(config.c_buffer_capacity)]
    for text in request_texts(config):
        options += ["--request", text]
    return options


def missing():
    """Why SPIN cannot run here (one line), or None when it can."""
    absent = [tool for tool in ("spin", "cc") if shutil.which(tool) is None]
    if absent:
        return (f"{' and '.join(absent)} not installed (scripts/ensure-system-deps.sh spin "
                "installs Debian's spin and a C compiler)")
    return None


def spin_verdict(config, optimise=True, exclusive=True, timeout=600, cache=None):
    """Build and run pan for `config`: its verdict, states stored, and times.

    `optimise`: compile pan with -O2 (SPIN's usual recipe) or as quickly as can be (the
    agreement test's choice: see _compiler). `exclusive`: keep the xs/xr declarations that tell
    SPIN's partial-order reduction each channel has one sender and one receiver.
    `cache`: a directory of binaries built before (see above), or None to build anew."""
    defines = [f"-DSPLIT={int(config.design == 'split')}", f"-DC={config.channel_capacity}",
               f"-DN={config.request_size}", f"-DW={config.stream_window}",
               f"-DR={config.requests}", f"-DCB={config.c_buffer_capacity}",
               f"-DEXCLUSIVE={int(exclusive)}"]
    return pan_verdict(MODEL, defines, optimise, timeout, cache)


def pan_verdict(model, defines, optimise=True, timeout=600, cache=None):
    """Build and run pan for the Promela `model` with these `-D` macros (see spin_verdict)."""
    with tempfile.TemporaryDirectory(prefix="spin-") as build:
        began = time.perf_counter()
        _run(["spin", *defines, "-a", str(model)], build, timeout)
        pan = _built(Path(build), [*_compiler(optimise), "-DSAFETY"], cache, timeout)
        report = _run([str(pan), f"-m{MAX_DEPTH}", f"-w{HASH_BITS}"], build, timeout,
                      check=False)
        end_to_end = time.perf_counter() - began
    return {"verdict": _verdict(report), "states": int(_find(r"(\d+) states, stored", report)),
            "search_s": float(_find(r"pan: elapsed time (\S+) seconds", report)),
            "end_to_end_s": round(end_to_end, 3)}


def _compiler(optimise):
    """cc -O2, SPIN's usual recipe, for a search that is timed; else the quickest build, for
    a verifier that runs for milliseconds: tcc when installed (pan.c in about 0.01
    CPU-seconds, against 0.3 for cc -O0, the next quickest), or cc -O0."""
    if optimise:
        return ["cc", "-O2"]
    return ["tcc"] if shutil.which("tcc") else ["cc", "-O0"]


def _built(build, compiler, cache, timeout):
    """The pan binary for the sources `spin -a` wrote in `build`: compiled there, or the
    one `cache` keeps for the same sources and compiler flags (compiled and kept first
    when it has none)."""
    if cache is None:
        _run([*compiler, "-o", "pan", "pan.c"], build, timeout)
        return build / "pan"
    digest = hashlib.sha256(repr(compiler).encode())
    for source in sorted(build.glob("pan.*")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    kept = Path(cache) / digest.hexdigest() / "pan"
    if not kept.exists():
        _run([*compiler, "-o", "pan", "pan.c"], build, timeout)
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"pan.{os.getpid()}.{threading.get_ident()}")
        shutil.copy2(build / "pan", partial)
        os.replace(partial, kept)    # whole or not there, for a run that looks meanwhile
    return kept


def _verdict(report):
    if "max search depth too small" in report:
        return "bound-hit"
    if int(_find(r"errors: (\d+)", report)) == 0:
        return "no-deadlock"
    if "invalid end state" in report:
        return "deadlock"
    raise RuntimeError(f"pan found an error that is not a deadlock:\n{report}")


def _find(pattern, report):
    found = re.search(pattern, report)
    if found is None:
        raise RuntimeError(f"pan's report has no {pattern!r}:\n{report}")
    return found.group(1)


def _run(command, cwd, timeout, check=True):
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return done.stdout
