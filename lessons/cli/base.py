"""What every command line of the course shares (`python -m lessons`, `python -m dining`).

Exit status: 0 for a run that ran (whatever its outcome), 2 for bad arguments. Output:
with --json only the result's to_dict(); otherwise first the command that repeats the
run (every parameter echoed), then a summary, then a text picture where there is one.
"""
import argparse
import json
import sys

BAD_ARGUMENTS = 2


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with 'error: ...' on bad arguments, as our own checks do."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(BAD_ARGUMENTS, f"error: {message}\n")


def add_knob_options(parser, knobs):
    """One option per knob (`--channel-capacity` for channel_capacity), its range in the
    help, and --schedule to replay a sim run."""
    for knob in knobs.values():
        parser.add_argument("--" + knob.name.replace("_", "-"), dest=knob.name, type=knob.kind,
                            help=f"{knob.help} ({knob.allowed()})")
    parser.add_argument("--schedule", help="sim only: replay these scheduling choices")


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
