"""`python -m dining run ...` (one evening at the table) and `python -m dining explore ...`
(every schedule of a small table); parameters echoed first.

Exit status: 0 for a run that ran (whatever its outcome), 2 for bad arguments, 130 on
Ctrl-C (lessons/cli/base.py).
"""
from lessons.cli.base import Parser, add_knob_options, main_guarded, print_result
from lessons.cli.explore import add_bounds, explore_and_print

from .dinner import Dinner, run
from .knobs import KNOBS
from .table import build_runtime


def dinner_from(args):
    return Dinner(**{name: getattr(args, name) for name in list(KNOBS) + ["schedule"]
                     if getattr(args, name) is not None})


def table_build(dinner):
    """build(policy, schedule) for the explorer: a fresh sim table like `dinner`'s."""
    def build(policy, schedule):
        return build_runtime(dinner.philosophers, dinner.strategy, dinner.meals, policy,
                             schedule, dinner.seed)
    return build


def main(argv=None):
    return main_guarded(lambda: command(argv))


def command(argv):
    parser = Parser(prog="python -m dining", description="Dining philosophers: run the table.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run_parser = commands.add_parser("run", help="seat the philosophers and run the evening once")
    add_knob_options(run_parser, KNOBS)
    run_parser.add_argument("--json", action="store_true", help="print only the result as JSON")
    explore_parser = commands.add_parser(
        "explore", help="explore every schedule of a small table: shortest deadlock, or none")
    add_knob_options(explore_parser, KNOBS)
    add_bounds(explore_parser)
    args = parser.parse_args(argv)
    dinner = dinner_from(args)
    if args.command == "explore":
        if dinner.schedule is not None or dinner.runtime != "sim":
            raise ValueError("explore tries every schedule of the sim runtime; "
                             "--schedule and --runtime threads do not apply")
        echo = dinner.command().replace("dining run", "dining explore", 1)
        return explore_and_print(table_build(dinner), args, echo)
    result = run(**dinner.to_dict())   # a schedule that does not fit fails here: exit 2
    return print_result(result, dinner.command(), args.json)
