"""Notebook 09: the capstone's fix (see lessons/story/workshop.py)."""
from lessons.story.workshop import CallbackDesign, run_workshop, workshop_scenarios

from .report import Report, reports_mistakes, right
from .seeds import SEEDS
from .trials import first_problem


@reports_mistakes
def check_workshop(design: CallbackDesign, seeds: range = SEEDS) -> Report:
    """The capstone: no deadlock, and completion, in every callback scenario on every seed."""
    scenarios = workshop_scenarios(design)
    found = first_problem(scenarios, seeds, run_workshop)
    if found is not None:
        return found
    return right(f"no deadlock and every request answered in {len(seeds) * len(scenarios)} runs")
