"""The "see it again" code of a story run: imports, then the run, printed as a summary."""
import sys
from dataclasses import fields
from typing import Callable

from lessons.story.scenario import Scenario, run

from .report import UNNAMED, all_named, code_lines


def replay_code(scenario: Scenario, runner: Callable = run) -> str:
    """Python that repeats `scenario` with `runner` (run, or the workshop's run_workshop)
    and prints how it ended; it names only what it imports and what the learner defined."""
    needed = [Scenario, runner]
    if not isinstance(scenario.design, str):
        design = scenario.design
        if not all_named(*(getattr(design, f.name) for f in fields(design)
                           if callable(getattr(design, f.name)))):
            return UNNAMED
        needed.append(type(design))
    imports = {}
    for obj in needed:
        imports.setdefault(import_from(obj), []).append(obj.__name__)
    return code_lines(*imports.items(), call=f"print({runner.__name__}({scenario.code()}).summary())")


def command_lines(scenario: Scenario) -> list[str]:
    """The CLI line that repeats a run, when the command line can say it (the course's designs)."""
    if not isinstance(scenario.design, str):
        return []
    return [f"on the command line: {scenario.command()}"]


def import_from(obj) -> str:
    """The module to import `obj` from: `lessons` itself when it exports it."""
    if getattr(sys.modules.get("lessons"), obj.__name__, None) is obj:
        return "lessons"
    return obj.__module__

