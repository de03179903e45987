"""WaitGroup.Wait under a lock the workers need (CockroachDB)."""
from .case import Case


def program(stopper):
    """The stopper and one running task, with `stopper(mu, tasks)` as the stopper's code."""
    def build(rt):
        mu, tasks = rt.lock("mu"), rt.waitgroup("tasks")
        tasks.add(1)            # one task running, counted before it starts

        def task():             # a task must take the lock to finish
            with mu:
                pass
            tasks.done()
        rt.spawn("stopper", lambda: stopper(mu, tasks))
        rt.spawn("task", task)
    return build


def buggy_stopper(mu, tasks):
    """Stop(): takes the lock, then waits for the tasks."""
    with mu:
        tasks.wait()


def fixed_stopper(mu, tasks):
    with mu:
        pass                    # mark the stopper as draining, under the lock...
    tasks.wait()                # ...and wait for the tasks without it


CASE = Case(
    name="wait-under-lock", title="WaitGroup.wait under a lock the workers need",
    project="CockroachDB", link="https://github.com/cockroachdb/cockroach/pull/1055",
    incident=(
        "CockroachDB's stopper shut tasks down by taking its lock and then waiting on a "
        "WaitGroup until every running task had said it was done. A task, to finish, "
        "had to take the same lock. When Stop() came first, it waited on the tasks "
        "while holding the one lock the tasks needed to finish."),
    buggy=program(buggy_stopper), fixed=program(fixed_stopper),
    buggy_parts=(program, buggy_stopper, "buggy = program(buggy_stopper)\n"),
    fixed_parts=(fixed_stopper, "fixed = program(fixed_stopper)\n"),
    fix="the stopper releases mu before tasks.wait(): the wait moved out of the with block.")
