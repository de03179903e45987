"""An early return that never closes the channel its consumer ranges over (CockroachDB)."""
from lessons.primitives.chan import select

from .case import Case


def buggy(rt):
    cancel, rows = channels(rt)

    def outbox():
        if select(cancel.receiving(), default=True)[0] == 0:
            return              # failed during start-up: returns without closing rows
        rows.send("row")
        rows.close()
    spawn(rt, cancel, rows, outbox)


def fixed(rt):
    cancel, rows = channels(rt)

    def outbox():
        try:                    # Go: defer rows.Close()
            if select(cancel.receiving(), default=True)[0] == 0:
                return
            rows.send("row")
        finally:
            rows.close()
    spawn(rt, cancel, rows, outbox)


def channels(rt):
    return (rt.chan("cancel", 1, senders=["flow"], receivers=["outbox"]),
            rt.chan("rows", 1, senders=["outbox"], receivers=["consumer"]))


def spawn(rt, cancel, rows, outbox):
    def flow():                 # the flow is cancelled while the outbox starts
        cancel.send("cancelled")

    def consumer():
        for _ in rows:          # reads until rows is closed
            pass
    for name, fn in (("outbox", outbox), ("flow", flow), ("consumer", consumer)):
        rt.spawn(name, fn)


CASE = Case(
    name="early-return", title="an early return that never closes what its consumer reads",
    project="CockroachDB", link="https://github.com/cockroachdb/cockroach/pull/35073",
    incident=(
        "In CockroachDB's distributed SQL engine, an outbox that failed while starting "
        "up returned without closing the row channel it fed. The consumer on the other "
        "side read rows until that channel was closed, so it waited forever, and the "
        "flow around it with it. It needed a failure at just that moment, so it was "
        "rare."),
    buggy=buggy, fixed=fixed, buggy_parts=(buggy, channels, spawn),
    fix="rows.close() moved into a finally block (Go's defer), so every way out closes it.")
