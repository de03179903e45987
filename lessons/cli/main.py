"""`python -m lessons run ...`: one run from the terminal, parameters echoed first.

Exit status: 0 for a run that ran (whatever its outcome), 2 for bad arguments, 130 on
Ctrl-C (cli/base.py).
"""
from lessons.cli.base import Parser, add_knob_options, main_guarded, print_result
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
    return main_guarded(lambda: command(argv))


def command(argv):
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
        raise ValueError("explore tries every schedule; --schedule does not apply")
    scenario = scenario_from(args)
    if args.command == "explore":
        if scenario.runtime != "sim":
            raise ValueError("explore needs the sim runtime (--runtime sim)")
        echo = scenario.command().replace("lessons run", "lessons explore", 1)
        return explore_and_print(scenario, args, echo)
    return print_result(run(scenario), scenario.command(), args.json)   # a schedule that
                                                                       # does not fit: 2
