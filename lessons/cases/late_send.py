"""A late send after the caller gave up on a timer: a goroutine leak (Kubernetes)."""
from lessons.primitives.chan import select

from .case import Case

WORK, PATIENCE = 0.05, 0.05     # seconds: the work takes as long as the caller waits


def program(capacity, work=WORK):
    """The case with `done` of this capacity, and work that takes `work` seconds."""
    def build(rt):
        done = rt.chan("done", capacity, senders=["worker"], receivers=["caller"])

        def caller():           # waits for the result, or gives up when the timer fires
            select(done.receiving(), rt.after("timer", PATIENCE).receiving())

        def worker():
            rt.sleep(work)
            done.send(True)     # unbuffered: waits for a caller who may be gone
        rt.spawn("caller", caller)
        rt.spawn("worker", worker)
    return build


buggy, fixed = program(0), program(1)
buggy.__doc__ = "The result channel is unbuffered: a late worker waits forever."
fixed.__doc__ = "The result channel has room for one: a late worker leaves its result."

CASE = Case(
    name="late-send", title="a late send after the caller gave up on a timer (a leak)",
    project="Kubernetes", link="https://github.com/kubernetes/kubernetes/pull/5316",
    incident=(
        "In Kubernetes a function started a goroutine to do some work and waited in a "
        "select for its result, its error, or a timeout. When the timeout won, the "
        "function returned, and nobody would ever read the result. The goroutine, "
        "finishing late, blocked forever on its send to the unbuffered result channel: "
        "a goroutine leak, one more each time the timeout won."),
    buggy=buggy, fixed=fixed, buggy_parts=(program, "buggy = program(0)\n"),
    fixed_parts=("fixed = program(1)    # done has room for one item\n",),
    fix=("done = rt.chan('done', 1) instead of 0: a buffer of one lets the late worker "
         "leave its result and end; the patch made the same change."))
