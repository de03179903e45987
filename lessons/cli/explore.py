"""`python -m lessons explore ...` (and `python -m dining explore ...`): every schedule of a
small run, searched from the terminal; the search's parameters are echoed first.
"""
import argparse

from lessons.cli.base import print_result
from lessons.explore import explore


def count(text):
    """A bound: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return int(text)


def seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, got {text!r}")
    return value


def add_bounds(parser):
    """The search's bounds and output options."""
    parser.add_argument("--max-states", type=count, default=100_000,
                        help="stop after this many distinct states (default 100000)")
    parser.add_argument("--max-depth", type=count, default=1_000,
                        help="do not follow a schedule past this many moves (default 1000)")
    parser.add_argument("--max-seconds", type=seconds, default=60.0,
                        help="stop after this much wall time (default 60)")
    parser.add_argument("--json", action="store_true",
                        help="print only the search's result as JSON")


def bounds_words(args):
    return (f"--max-states {args.max_states} --max-depth {args.max_depth} "
            f"--max-seconds {args.max_seconds:g}")


def explore_and_print(target, args, command):
    """Search `target` within the bounds in `args`; print `command` and the result."""
    found = explore(target, max_states=args.max_states, max_depth=args.max_depth,
                    max_seconds=args.max_seconds)
    return print_result(found, f"{command} {bounds_words(args)}", args.json)
