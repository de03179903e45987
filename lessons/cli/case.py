"""`python -m lessons case NAME [--fixed] [--runtime R] [--seed S] [--schedule S] [--explore]`
and `python -m lessons case --list`: the casebook's real bugs from the terminal, with the
`run` and `explore` commands' conventions (the command echoed first, --json, exit 2 on a bad
argument with one line naming what is allowed)."""
from lessons.cases import CASES, case
from lessons.cli.base import print_result
from lessons.cli.explore import add_bounds, explore_and_print
from lessons.runtime.program import run_program


def add_case_command(commands):
    parser = commands.add_parser("case", help="run or explore a real Go deadlock from the "
                                              "casebook (--list names them)")
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help=f"the case: {', '.join(CASES)}")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    parser.add_argument("--fixed", action="store_true", help="the fixed program, not the buggy one")
    parser.add_argument("--runtime", default="sim", help="sim or threads (default sim)")
    parser.add_argument("--seed", type=int, default=0, help="the sim's seed (default 0)")
    parser.add_argument("--schedule", help="sim only: replay these scheduling choices")
    parser.add_argument("--explore", action="store_true",
                        help="explore every schedule: the shortest deadlock, or none")
    add_bounds(parser)


def case_command(args):
    if args.list:
        for c in CASES.values():
            print(f"{c.name:18} {c.project:14} {c.title}\n{'':18} {c.link}")
        return 0
    if args.name is None:
        raise ValueError(f"case needs a NAME: one of {', '.join(CASES)} (or --list)")
    chosen = case(args.name)
    program = chosen.program(args.fixed)
    echo = f"python -m lessons case {chosen.name}" + (" --fixed" if args.fixed else "")
    if args.explore:
        if args.runtime != "sim" or args.schedule is not None:
            raise ValueError("--explore tries every schedule of the sim runtime; "
                             "--runtime threads and --schedule do not apply")
        return explore_and_print(program, args, f"{echo} --explore")
    result = run_program(program, runtime=args.runtime, seed=args.seed, schedule=args.schedule)
    words = f"{echo} --runtime {args.runtime} --seed {args.seed}" + (
        f" --schedule '{args.schedule}'" if args.schedule else "")
    return print_result(result, words, args.json)

