"""`python -m lessons explore ...` (and `python -m dining explore ...`): every schedule of a
small run, searched from the terminal; the search's parameters are echoed first.
"""
from lessons.cli.base import Parser, option, print_result
from lessons.explore import explore
from lessons.explore.bounds import BOUNDS, DEFAULTS


def add_bounds(parser):
    """The search's bounds (checked as explore() checks them) and output options."""
    for name, knob in BOUNDS.items():
        default = DEFAULTS[name]
        said = "derived from one run of the program" if default is None else f"{default:g}"
        parser.add_argument("--" + name.replace("_", "-"), default=default,
                            **{**option(knob), "help": f"{knob.help} ({knob.allowed()}; "
                                                       f"default {said})"})
    parser.add_argument("--json", action="store_true",
                        help="print only the search's result as JSON")


def bounds_words(limits):
    return (f"--max-states {limits['max_states']} --max-depth {limits['max_depth']} "
            f"--max-seconds {limits['max_seconds']:g}")


def explore_and_print(target, args, command):
    """Search `target` within the bounds in `args`; print `command`, with the bounds the
    search used (a derived depth as the number it came to), and the result."""
    found = explore(target, max_states=args.max_states, max_depth=args.max_depth,
                    max_seconds=args.max_seconds)
    return print_result(found, f"{command} {bounds_words(found.limits)}", args.json)


def run_and_explore(prog, description, add_options, run_help, explore_help, more=None):
    """The parser every course CLI has: `run` and `explore`, each with the options
    `add_options(parser)` adds; `run` takes --json, `explore` the search's bounds.
    `more(commands)` adds a CLI's own subcommands (lessons: `case`)."""
    parser = Parser(prog=prog, description=description)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run_parser = commands.add_parser("run", help=run_help)
    add_options(run_parser)
    run_parser.add_argument("--json", action="store_true", help="print only the result as JSON")
    explore_parser = commands.add_parser("explore", help=explore_help)
    add_options(explore_parser)
    add_bounds(explore_parser)
    if more is not None:
        more(commands)
    return parser
