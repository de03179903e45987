"""A lock held across an unbuffered send (gRPC-Go)."""
from lessons.primitives.errors import WouldBlock

from .case import Case


def buggy(rt, capacity=0, updates_sent=2):
    """(`capacity` and `updates_sent` let notebook 11 ask what a bigger buffer changes.)"""
    mu = rt.lock("mu")
    updates = rt.chan("updates", capacity, senders=["watcher"], receivers=["lb"])

    def watcher():              # watchAddrUpdates: each new address list, under the lock
        for addresses in ("a,b", "a", "a,c", "c")[:updates_sent]:
            with mu:
                updates.send(addresses)     # waits for lb to take it, holding mu
        updates.close()

    def lb():                   # lbWatcher: applies each update; removing an address
        for _ in updates:       # needs the same lock
            with mu:
                pass
    rt.spawn("watcher", watcher)
    rt.spawn("lb", lb)


def fixed(rt):
    mu = rt.lock("mu")
    updates = rt.chan("updates", 1, senders=["watcher"], receivers=["lb", "watcher"])

    def watcher():
        for addresses in ("a,b", "a"):
            with mu:
                try:
                    updates.recv_nowait()       # drop the update lb has not taken yet
                except WouldBlock:
                    pass
                updates.send_nowait(addresses)  # room for one: never waits under mu
        updates.close()

    def lb():
        for _ in updates:
            with mu:
                pass
    rt.spawn("watcher", watcher)
    rt.spawn("lb", lb)


CASE = Case(
    name="lock-across-send", title="a lock held across an unbuffered send",
    project="gRPC-Go", link="https://github.com/grpc/grpc-go/pull/1353",
    incident=(
        "gRPC-Go's round-robin balancer had a goroutine that watched for address "
        "changes and handed each new address list to the balancer's watcher over an "
        "unbuffered channel, holding the balancer's mutex while it sent. The watcher, "
        "busy with the previous list, had to take that same mutex to tear down a "
        "removed address before it could come back to read. So the sender held the "
        "lock and waited for the reader; the reader waited for the lock. It only "
        "happened when a second update came while the first was still being applied."),
    buggy=buggy, fixed=fixed,
    fix=("updates gets room for one item, and the watcher drains a stale update before "
         "it sends (send_nowait), so it never waits while holding mu; the patch did the "
         "same: a buffered channel, drained before each send."))
