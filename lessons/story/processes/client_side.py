"""The client in the caller's process: story/client.py unchanged, over real gRPC.

In a live run (the control room) client.send sends what the learner clicks (`Clicks`)
instead of the scenario's script.

client.send's `system.requests.send(request)` starts a call: a server-streaming one for
`get N` and `subscribe TOPIC` (handed to client.recv), a unary one, not waited for, for
anything else (`ping`, `changes`). client.recv's `for item in system.stream` reads the
streaming calls one after another, in the order they were started, at the client's pace:
what it does not read stays in the shim's bounded queue and gRPC's one pending message.
"""
import queue

import grpc

from lessons.analysis.waitfor import BLOCKED, RUNNING
from lessons.primitives.errors import Cancelled
from lessons.story.system_view import system_view

from .grpc_wire import items

STREAMED = ("get", "subscribe")
WHERE = "the caller's process (the client)"


class Clicks:
    """The learner's requests, as client.send reads them: it waits here (on the board:
    blocked on `clicks`, which only the learner outside the run can send to)."""
    name = "clicks"

    def __init__(self, rt):
        self.rt = rt
        self.inbox = queue.Queue()   # Requests; None ends it

    def put(self, request):
        self.inbox.put(request)

    def __iter__(self):
        while True:
            self.rt.publish(BLOCKED, [("clicks", "recv")])
            request = self.inbox.get()
            if request is None:
                raise Cancelled()
            self.rt.publish(RUNNING)
            yield request


class Requests:
    """`requests` as client.send sees it.

    A streaming call's send returns once the shim has queued the request (its handler
    then sends the call's initial metadata), as a send on the `requests` channel returns
    once the request is in it: so a ping sent after a get reaches shim.requests after
    it, which two concurrent gRPC calls would not promise by themselves. A unary call
    cannot say so early (gRPC Python hands its metadata over with the reply), so a send
    of a ping returns at once, and a request sent right after a ping may overtake it.
    """
    name = "requests"

    def __init__(self, rt, client):
        self.rt, self.client = rt, client
        self.calls = queue.Queue()   # streaming calls, for client.recv; None ends it
        self.pings = []              # the unary calls: a call nobody holds is cancelled
        self.sent_at = []            # when the shim had queued each (run's clock)

    def send(self, request, timeout=None):
        try:
            call = self.client.stream(request) if request.kind in STREAMED else self.client.ping(request)
        except ValueError:   # gRPC's "channel closed": the run is being stopped
            if self.rt.stopping.is_set():
                raise Cancelled() from None
            raise
        if request.kind not in STREAMED:
            self.pings.append(call)
            self.sent_at.append(self.rt.now())
            return
        self.calls.put(call)
        self.rt.publish(BLOCKED, [("requests", "send")])
        call.initial_metadata()      # the shim has queued it (or the call failed)
        self.sent_at.append(self.rt.now())
        self.rt.publish(RUNNING)


class Stream:
    """`stream` as client.recv sees it: every streaming call's items, call after call."""
    name = "stream"

    def __init__(self, rt, requests):
        self.rt, self.requests = rt, requests
        self.failed = None   # how the call failed, when the shim went away

    def __iter__(self):
        while True:
            self.rt.publish(BLOCKED, [("stream", "recv")])
            call = self.requests.calls.get()
            if call is None:
                raise Cancelled()
            try:
                for item in items(call):
                    self.rt.publish(RUNNING)
                    yield item
                    self.rt.publish(BLOCKED, [("stream", "recv")])
            except grpc.RpcError as error:
                if self.rt.stopping.is_set():
                    raise Cancelled() from None
                # The shim went away (its timer fired): a real client sees the call fail.
                self.failed = f"{error.code().name}: {error.details()}"
                return


def client_system(scenario, rt, client, live=False):
    """What story/client.py's two actors see as `system` (`live`: they send clicks)."""
    requests = Requests(rt, client)
    held = {"requests": requests, "stream": Stream(rt, requests)}
    if live:
        held["clicks"] = Clicks(rt)
    return system_view(scenario, held, WHERE, live=live)


def stop(system):
    """Wake client.recv if it waits for a call that will never come, and client.send if
    it waits for a click."""
    system.requests.calls.put(None)
    if system.clicks is not None:
        system.clicks.put(None)
