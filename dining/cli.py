"""`python -m dining run ...` (one evening at the table) and `python -m dining explore ...`
(every schedule of a small table); parameters echoed first.

Exit status: 0 for a run that ran (whatever its outcome), 2 for bad arguments, 130 on
Ctrl-C (lessons/cli/base.py).
"""
from lessons.cli.base import add_knob_options, main_guarded, print_result
from lessons.cli.explore import explore_and_print, run_and_explore

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
    parser = run_and_explore(
        "python -m dining", "Dining philosophers: run the table.",
        lambda p: add_knob_options(p, KNOBS),
        run_help="seat the philosophers and run the evening once",
        explore_help="explore every schedule of a small table: shortest deadlock, or none")
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
