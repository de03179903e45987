"""A lost condition signal (Moby)."""
from lessons.primitives.errors import WouldBlock

from .case import Case


def program(waiter, activator):
    """A plugin's waiter and its activator, each given (mu, activated, active): the lock,
    the condition on it, and a channel of one that can hold the fact 'active'."""
    def build(rt):
        mu = rt.lock("mu")
        parts = (mu, rt.cond("activated", mu), rt.chan("active", 1))
        rt.spawn("waiter", lambda: waiter(*parts))
        rt.spawn("activator", lambda: activator(*parts))
    return build


def buggy_waiter(mu, activated, active):
    """Waits to be told the plugin is active, without checking whether it already is."""
    with mu:
        activated.wait()


def buggy_activator(mu, activated, active):
    with mu:
        activated.signal()      # lost if nobody waits yet


def fixed_waiter(mu, activated, active):
    with mu:
        while True:
            try:
                active.recv_nowait()    # already active: no need to wait
                break
            except WouldBlock:
                activated.wait()


def fixed_activator(mu, activated, active):
    with mu:
        active.send_nowait(True)        # the condition itself, set under the lock
        activated.signal()


CASE = Case(
    name="lost-signal", title="a lost condition signal",
    project="Moby", link="https://github.com/moby/moby/pull/29733",
    incident=(
        "Docker's plugin manager made callers wait on a sync.Cond until a plugin was "
        "activated. A condition variable remembers nothing: a Signal with nobody "
        "waiting is simply lost. So a caller that reached Wait after the activation had "
        "signalled waited for a signal that would never come again."),
    buggy=program(buggy_waiter, buggy_activator), fixed=program(fixed_waiter, fixed_activator),
    buggy_parts=(program, buggy_waiter, buggy_activator),
    fixed_parts=(fixed_waiter, fixed_activator),
    fix=("the state is kept beside the condition (active) and checked under the lock "
         "before waiting, in a loop; Go's rule: always wait for a condition, never for a "
         "signal."))
