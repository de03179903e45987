"""A lost condition signal (Moby)."""
from lessons.primitives.errors import WouldBlock

from .case import Case


def buggy(rt):
    mu = rt.lock("mu")
    activated = rt.cond("activated", mu)

    def waiter():               # waits to be told the plugin is active...
        with mu:
            activated.wait()    # ...without first checking whether it already is

    def activator():
        with mu:
            activated.signal()  # lost if nobody waits yet
    rt.spawn("waiter", waiter)
    rt.spawn("activator", activator)


def fixed(rt):
    mu = rt.lock("mu")
    activated = rt.cond("activated", mu)
    active = rt.chan("active", 1)   # the condition itself, set and read under mu

    def waiter():
        with mu:
            while True:
                try:
                    active.recv_nowait()    # already active: no need to wait
                    break
                except WouldBlock:
                    activated.wait()

    def activator():
        with mu:
            active.send_nowait(True)
            activated.signal()
    rt.spawn("waiter", waiter)
    rt.spawn("activator", activator)


CASE = Case(
    name="lost-signal", title="a lost condition signal",
    project="Moby (Docker)", link="https://github.com/moby/moby/pull/29733",
    incident=(
        "Docker's plugin manager made callers wait on a sync.Cond until a plugin was "
        "activated. A condition variable remembers nothing: a Signal with nobody "
        "waiting is simply lost. So a caller that reached Wait after the activation had "
        "signalled waited for a signal that would never come again."),
    buggy=buggy, fixed=fixed,
    fix=("the state is kept beside the condition (active) and checked under the lock "
         "before waiting, in a loop; Go's rule: always wait for a condition, never for a "
         "signal."))
