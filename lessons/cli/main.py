"""`python -m lessons run ...`: one run from the terminal, parameters echoed first.

Exit status: 0 for a run that ran (whatever its outcome), 2 for bad arguments.
"""
import sys

from lessons.cli.base import BAD_ARGUMENTS, Parser, add_knob_options, print_result
from lessons.cli.explore import add_bounds, explore_and_print
from lessons.story.knobs import KNOBS
from lessons.story.scenario import Scenario, run


def add_knobs(parser):
    """Every scenario knob as an option, and --request, repeatable."""
    add_knob_options(parser, KNOBS)
    parser.add_argument("--request", dest="requests", action="append", metavar='"KIND [ARG] [@ T]"',
                        help="a request; repeat for several (default: get REQUEST_SIZE, then ping)")


def scenario_from(args):
    knobs = {name: getattr(args, name) for name in list(KNOBS) + ["requests", "schedule"]
             if getattr(args, name, None) is not None}
    return Scenario(**knobs)


def main(argv=None):
    parser = Parser(prog="python -m lessons", description="Deadlock in the Wild: run the system.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run_parser = commands.add_parser("run", help="run the client/shim/engine system once")
    add_knobs(run_parser)
    run_parser.add_argument("--json", action="store_true", help="print only the result as JSON")
    explore_parser = commands.add_parser(
        "explore", help="explore every schedule of a small run: shortest deadlock, or none")
    add_knobs(explore_parser)
    add_bounds(explore_parser)
    args = parser.parse_args(argv)
    if args.command == "explore" and args.schedule is not None:
        print("error: explore tries every schedule; --schedule does not apply", file=sys.stderr)
        return BAD_ARGUMENTS
    try:
        scenario = scenario_from(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_ARGUMENTS
    if args.command == "explore":
        if scenario.runtime != "sim":
            print("error: explore needs the sim runtime (--runtime sim)", file=sys.stderr)
            return BAD_ARGUMENTS
        command = scenario.command().replace("lessons run", "lessons explore", 1)
        return explore_and_print(scenario, args, command)
    return print_result(run(scenario), scenario.command(), args.json)
