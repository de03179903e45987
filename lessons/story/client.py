"""The gRPC client: one actor sends requests, another reads what streams back.

Both are *outside* the system: the wait-for analysis treats them as free to act, so a
chain of waits that ends at the client is a stall, never a deadlock. How the client reads
is a knob:
    fast     reads every item as soon as it arrives
    slow     reads one item every `read_interval` seconds
    stalled  never reads (asked for data, then stopped listening)
"""
from lessons.runtime import current


def client_send(system):
    """Send each scripted request at its time; in a live run, whatever the learner clicks."""
    rt = current()
    source = system.clicks if system.clicks is not None else system.script
    for request in source:
        if request.at is not None and request.at > rt.now():
            rt.sleep(request.at - rt.now())
        system.requests.send(request)
        system.ledger.sent.append(request)


def client_recv(system):
    """Read the stream the way the scenario's client reads (CLIENTS names the ways)."""
    CLIENTS[system.reading](system, current())


def read_fast(system, rt):
    for item in system.stream:
        system.ledger.delivered.append(item)


def read_slow(system, rt):
    for item in system.stream:
        system.ledger.delivered.append(item)
        rt.sleep(system.read_interval)


def read_never(system, rt):
    rt.idle()


# The `client` knob's choices, as DESIGNS holds the shim's: a new way to read is one
# function here and one entry.
CLIENTS = {"fast": read_fast, "slow": read_slow, "stalled": read_never}
