"""Notebook 07: a schedule string that makes the run end as you say."""
from lessons.explore import explore
from lessons.runtime.schedule import parse_schedule
from lessons.story.picture import cycle_text
from lessons.story.scenario import Scenario, run
from lessons.story.system import System

from .replay import command_lines, replay_code
from .report import Report, reports_mistakes, right, wrong


@reports_mistakes
def check_schedule(schedule: str, want: str = "deadlock", seeds: range = range(10),
                   **knobs) -> Report:
    """Replay `schedule` on a small story (get 4, then ping; notifications holds 2).

    want="deadlock": the deadlock must form within your moves (nothing left to chance),
    and the schedule is not the explorer's shortest one (notebook 07 prints that one).
    want="completed": after your moves, the run must complete whatever the scheduler does
    next. Proven, not sampled: the explorer tries every schedule that begins with your
    moves and must find no deadlock; then `seeds` runs must complete (a run with no
    deadlock that still does not complete would be a stall, or a bound reached).
    """
    knobs = {"channel_capacity": 2, "request_size": 4, **knobs}
    try:
        sc = Scenario(schedule=schedule, **knobs)
        formed = deadlock_within(sc)
    except ValueError as exc:
        return wrong(f"that schedule cannot be replayed: {exc}")
    if want == "deadlock":
        if formed is None:
            return wrong("after your moves no deadlock has formed yet: some actor can still "
                         "move. Keep going until shim.main waits on replies while the engine "
                         "waits on a full notifications", *command_lines(sc), evidence=sc, replay=replay_code(sc))
        if parse_schedule(schedule) == explore(Scenario(**knobs)).schedule_tokens():
            return wrong("that is the explorer's shortest deadlock, printed above: find one of "
                         "your own, by hand in the step view or with a Stepper (any schedule "
                         "that deadlocks within its moves, except that one)")
        return right(f"DEADLOCK within your moves: {cycle_text(formed.cycle)}",
                     f"anyone can replay it: {sc.command()}")
    if formed is not None:
        return wrong(f"a deadlock has already formed within your moves: {cycle_text(formed.cycle)}")
    found = explore(after_moves(sc))
    if found.verdict != "no-deadlock":
        return not_always(sc, found)
    for seed in seeds:
        trial = sc.with_(seed=seed)
        result = run(trial)
        if result.outcome != want:
            return wrong(f"after your moves, seed {seed} ends {result.outcome.upper()}, not "
                         f"{want.upper()}", f"the whole run: {result.schedule}",
                         *command_lines(trial),
                         evidence=trial, replay=replay_code(trial))
    return right(f"after your moves no schedule deadlocks: the explorer tried every one "
                 f"({found.states} states), and the run ends {want.upper()} on all {len(seeds)} seeds")


def not_always(sc, found):
    """The report for a prefix after which some schedule deadlocks (or the search gave up)."""
    if found.verdict == "bound-hit":
        return wrong(f"the explorer stopped ({found.bound}) before it had tried every schedule "
                     "after your moves: make more of the moves yourself")
    whole = sc.with_(schedule=" ".join(part for part in (sc.schedule, found.schedule) if part))
    return wrong("after your moves the deadlock is still possible: the explorer found a "
                 f"schedule that continues yours and deadlocks ({cycle_text(found.cycle)})",
                 f"your moves, then: {found.schedule}", *command_lines(whole),
                 evidence=whole, replay=replay_code(whole))


def after_moves(sc: Scenario):
    """explore's build for every run that begins with `sc.schedule`'s moves: they are made
    first, then the search's own moves (a schedule string continues as the given policy)."""
    def build(policy, schedule):
        moves = " ".join(part for part in (sc.schedule, schedule) if part)
        return System(sc.with_(schedule=moves), policy=policy).rt
    return build


def deadlock_within(sc: Scenario):
    """The deadlock that has formed once the schedule's moves are made, or None."""
    stepped = System(sc, policy="step")
    try:
        stepped.rt.resume()
        formed = stepped.rt.deadlock
    finally:
        stepped.rt.stop()
    if stepped.rt.errors:
        raise stepped.rt.errors[0][1]
    return formed
