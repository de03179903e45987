"""What every command line of the course shares (`python -m lessons`, `python -m dining`).

Exit status: 0 for a run that ran (whatever its outcome), 2 for bad arguments (one line
on stderr), 130 after a Ctrl-C, once every thread the run started has ended. Output:
with --json only the result's to_dict(); otherwise first the command that repeats the
run (every parameter echoed), then a summary, then a text picture where there is one.
A reader that goes away (`... | head`) ends the output quietly.
"""
import argparse
import json
import os
import sys

BAD_ARGUMENTS = 2
INTERRUPTED = 130   # 128 + SIGINT, as a shell reports a command ended by Ctrl-C


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, 'error: ...', on bad arguments, as our own
    checks do (`--help` still shows the usage)."""

    def error(self, message):
        self.exit(BAD_ARGUMENTS, f"error: {message}\n")


def option(knob):
    """`--channel-capacity` for channel_capacity: read and checked by the knob itself, so
    the CLI refuses exactly what the Python API refuses, in the same words."""
    def read(text):
        try:
            return knob.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    read.__name__ = knob.name
    return {"dest": knob.name, "type": read, "help": f"{knob.help} ({knob.allowed()})"}


def add_knob_options(parser, knobs):
    """One option per knob, its range in the help, and --schedule to replay a sim run."""
    for knob in knobs.values():
        parser.add_argument("--" + knob.name.replace("_", "-"), **option(knob))
    parser.add_argument("--schedule", help="sim only: replay these scheduling choices")


def main_guarded(body):
    """Run a command line's `body()` and return its exit status: a ValueError (a bad
    knob, a schedule that does not fit the run) is one line and 2; a KeyboardInterrupt is
    130, after what an interrupted search had explored; a closed stdout ends quietly."""
    try:
        status = body()
        sys.stdout.flush()
        return status
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_ARGUMENTS
    except KeyboardInterrupt as exc:
        partial = getattr(exc, "exploration", None)
        print("interrupted" + ("" if partial is None else
                               f"; explored so far:\n{partial.summary()}"), file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        # Point stdout at /dev/null, so that the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def print_result(result, command, as_json):
    """Print a run's (or a search's) result the house way; return the exit status."""
    if as_json:
        print(json.dumps(result.to_dict()))
        return 0
    print(f"# {command}")
    print(result.summary())
    if getattr(result, "picture", ""):
        print(result.picture)
    return 0
