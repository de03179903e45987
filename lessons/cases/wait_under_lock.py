"""WaitGroup.Wait under a lock the workers need (CockroachDB)."""
from .case import Case


def buggy(rt):
    mu, tasks = rt.lock("mu"), rt.waitgroup("tasks")
    tasks.add(1)                # one task running, counted before it starts

    def stopper():              # Stop(): takes the lock, then waits for the tasks
        with mu:
            tasks.wait()

    def task():                 # a task must take the lock to finish
        with mu:
            pass
        tasks.done()
    rt.spawn("stopper", stopper)
    rt.spawn("task", task)


def fixed(rt):
    mu, tasks = rt.lock("mu"), rt.waitgroup("tasks")
    tasks.add(1)

    def stopper():
        with mu:
            pass                # mark the stopper as draining, under the lock...
        tasks.wait()            # ...and wait for the tasks without it

    def task():
        with mu:
            pass
        tasks.done()
    rt.spawn("stopper", stopper)
    rt.spawn("task", task)


CASE = Case(
    name="wait-under-lock", title="WaitGroup.wait under a lock the workers need",
    project="CockroachDB", link="https://github.com/cockroachdb/cockroach/pull/1055",
    incident=(
        "CockroachDB's stopper shut tasks down by taking its lock and then waiting on a "
        "WaitGroup until every running task had said it was done. A task, to finish, "
        "had to take the same lock. When Stop() came first, it waited on the tasks "
        "while holding the one lock the tasks needed to finish."),
    buggy=buggy, fixed=fixed,
    fix="the stopper releases mu before tasks.wait(): the wait moved out of the with block.")
