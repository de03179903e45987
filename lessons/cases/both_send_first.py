"""Both sides sending first on unbuffered channels (CockroachDB)."""
from lessons.primitives.chan import select

from .case import Case


def program(callbacks_capacity, events_capacity=0, proposals=2):
    """The case with these capacities and this many proposals (the SPIN agreement test
    varies them; the case itself is program(0) and program(1))."""
    def build(rt):
        proposed = rt.chan("proposals", proposals, senders=["client"], receivers=["raft"])
        events = rt.chan("events", events_capacity, senders=["raft"], receivers=["store"])
        callbacks = rt.chan("callbacks", callbacks_capacity, senders=["store"],
                            receivers=["raft"])

        def client():
            for command in ("add replica", "put k", "put j")[:proposals]:
                proposed.send(command)

        def raft():             # MultiRaft's loop: commits become events; runs callbacks
            for _ in range(proposals + 1):
                which, value = select(proposed.receiving(), callbacks.receiving())
                if which == 0:
                    events.send(value)          # waits for the store to take it

        def store():            # processRaft: applies the membership change, then calls
            events.recv()       # back into raft before it reads the next event
            callbacks.send("replica added")
            for _ in range(proposals - 1):
                events.recv()
        for name, fn in (("client", client), ("raft", raft), ("store", store)):
            rt.spawn(name, fn)
    return build


buggy, fixed = program(0), program(1)
buggy.__doc__ = "callbacks is unbuffered: raft and the store may each wait to send to the other."
fixed.__doc__ = "callbacks has room for one: the store's callback never waits for raft."

CASE = Case(
    name="both-send-first", title="both sides sending first on unbuffered channels",
    project="CockroachDB", link="https://github.com/cockroachdb/cockroach/pull/2448",
    incident=(
        "In CockroachDB, the MultiRaft loop sent each committed command to the store as "
        "an event over an unbuffered channel, and ran callbacks the store sent back over "
        "another. The store took a membership change and, to apply it, sent a callback. "
        "If another command committed meanwhile, the MultiRaft loop was already waiting "
        "to send that event, and the store was waiting to send its callback: each sent "
        "first, and neither would receive until its own send completed."),
    buggy=buggy, fixed=fixed, buggy_parts=(program, "buggy = program(0)\n"),
    fixed_parts=("fixed = program(1)    # callbacks has room for one item\n",),
    fix=("callbacks = rt.chan('callbacks', 1) instead of 0: the store's callback no longer "
         "waits for raft to receive it (our fix; see the pull request for the project's)."))
