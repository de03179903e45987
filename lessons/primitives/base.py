"""What every primitive shares: a name, plain contents changed only by rules.py, and the
runtime that decides how a waiter waits.

The runtime's single `guard` lock protects every primitive's contents and who waits on
it: one lock for all primitives is what lets `select` look at several at once and the
wait-for graph see one consistent state. A primitive tells its runtime what changed
(`rt.committed`), and the runtime wakes waiters and tells its observers.
"""
from . import rules


class Primitive:
    kind = None           # rules.CHAN, rules.LOCK or rules.SEMAPHORE
    capacity = None       # channels and semaphores
    ends_of = {}          # op -> the names that may do it here; a missing op: anyone

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

    # -- the non-blocking core, called with rt.guard held ---------------------------------
    def ready(self, op):
        return self.rule_ready(self.capacity, self.contents, op)

    def commit(self, op, value, actor):
        """Complete a ready case for `actor`; return what it gets back."""
        self.contents, result = self.rule_commit(self.name, self.ends_of.get(op), self.contents,
                                                 op, value, actor.name, actor.outside)
        rt = self.rt
        if self.waiting or rt.observers:    # nobody to tell is the common, fast case
            rt.committed(actor, op, self, self.traced_item(op, value, result))
        return result

    def traced_item(self, op, value, result):
        return None

    def partners(self, op):
        """The names whose next move could complete a case `op` waiting here."""
        return rules.partners(self.kind, self.other_end(op), self.contents)

    def other_end(self, op):
        return None
