"""`python -m lessons run ...`: one run from the terminal, parameters echoed first.

Exit status: 0 for a run that ran (whatever its outcome), 2 for bad arguments, 130 on
Ctrl-C (cli/base.py).
"""
from lessons.cli.base import add_knob_options, main_guarded, print_result
from lessons.cli.case import add_case_command, case_command
from lessons.cli.explore import explore_and_print, run_and_explore
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
    parser = run_and_explore(
        "python -m lessons", "Deadlock in the Wild: run the system.", add_knobs,
        run_help="run the client/shim/engine system once",
        explore_help="explore every schedule of a small run: shortest deadlock, or none",
        more=add_case_command)
    args = parser.parse_args(argv)
    if args.command == "case":
        return case_command(args)
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
