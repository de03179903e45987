"""What every primitive shares: a name, plain contents changed only by rules.py, and the
runtime that decides how a waiter waits.

The runtime's single `guard` lock protects every primitive's contents and who waits on
it: one lock for all primitives is what lets `select` look at several at once and the
wait-for graph see one consistent state. A primitive tells its runtime what changed
(`rt.committed`), and the runtime wakes waiters and tells its observers.
"""
from . import rules


class Primitive:
    kind: str | None = None         # one of rules.KINDS
    capacity: int | None = None     # channels and semaphores
    ends_of: dict[str, tuple[str, ...]] = {}   # op -> who may do it here; missing: anyone

    def __init__(self, rt, name):
        self.rt, self.name = rt, name
        self.contents = rules.EMPTY[self.kind]
        # rules.READY[kind], COMMIT[kind] and DEPTH[kind], looked up once per primitive
        # (every send, receive and acquire goes through them) and kept on the instance,
        # where Python finds an attribute fastest.
        self.rule_ready = rules.READY[self.kind]
        self.rule_commit = rules.COMMIT[self.kind]
        self.rule_depth = rules.DEPTH[self.kind]
        self.waiting = []   # threads runtime: actors to wake when this primitive changes
        rt.register(self)

    # -- what an actor calls ---------------------------------------------------------------
    def wait_one(self, op, value=None, timeout=None):
        """Complete the case (`op`, `value`) for the calling actor, waiting as its runtime
        waits; return what it gives back (a send, a receive, an acquire).

        The hot path (docs/design.md): where a ready case is no scheduling point
        (`rt.at_once`: threads), a ready case completes here, under the guard, without a
        call into the runtime; otherwise, or when it must wait, the runtime's `wait_one`."""
        rt = self.rt
        if rt.at_once:
            with rt.guard:
                contents = self.contents
                # The rules through locals: `self.rule_ready(...)` finds an instance's
                # function by a slower lookup than `self.rule_ready` alone.
                ready = self.rule_ready
                if not rt.stopping and ready(self.capacity, contents, op, value):
                    try:
                        me = rt.caller.actor     # rt.me(), without the call
                    except AttributeError:
                        me = rt.me()
                    # self.commit(op, value, me), inlined: one call less on every ready
                    # send, receive and acquire (benchmarks/hot_path_instructions.py)
                    commit = self.rule_commit
                    self.contents, result = commit(self.name, self.ends_of.get(op) if self.ends_of
                                                   else None, contents, op, value, me.name,
                                                   me.outside)
                    if self.waiting or rt.observers:
                        rt.committed(me, op, self, self.traced_item(op, value, result))
                    return result
        return rt.wait_one(self, op, value, timeout)

    # -- the non-blocking core, called with rt.guard held ---------------------------------
    def ready(self, op, value=None):
        return self.rule_ready(self.capacity, self.contents, op, value)

    def commit(self, op, value, actor):
        """Complete a ready case for `actor`; return what it gets back."""
        self.contents, result = self.rule_commit(self.name, self.ends_of.get(op), self.contents,
                                                 op, value, actor.name, actor.outside)
        rt = self.rt
        if self.waiting or rt.observers:    # nobody to tell is the common, fast case
            rt.committed(actor, op, self, self.traced_item(op, value, result))
        return result

    def change(self, op, value=None):
        """Do `op`, which never waits (rules.CHANGE: a release, an add, a signal...)."""
        rt = self.rt
        with rt.guard:
            if not rt.started:      # before the run (Go's wg.Add before `go f()`)
                self.contents = rules.change(self.kind, self.name, None, self.contents, op,
                                             value, "the program", True)
                return
            me = rt.me()
            self.contents = rules.change(self.kind, self.name, self.ends_of.get(op),
                                         self.contents, op, value, me.name, me.outside)
            rt.committed(me, op, self, value)

    def traced_item(self, op, value, result):
        return None

    def partners(self, op):
        """The names whose next move could complete a case `op` waiting here."""
        return rules.partners(self.kind, self.other_end(op), self.contents, op)

    def other_end(self, op):
        return None
