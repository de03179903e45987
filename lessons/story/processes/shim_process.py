"""The shim's process: a real gRPC server and the shim's two goroutines as two named threads.

The goroutines run the design's code unchanged (story/shim_single.py or shim_split.py).
What they see as channels:
    requests       a pipe: gRPC's handler threads write each incoming request, shim.requests reads
    handoff        a pipe between the two goroutines (single design only)
    c_buffer, replies, notifications   the pipes shared with the engine's process
    stream         one pipe of `stream_window` records per open gRPC stream; `send(item)`
                   writes into the pipe of the call the item belongs to, and that call's
                   handler reads it and hands it to gRPC. A slow client fills it, and
                   shim.main blocks in write() on it.
When the timer in call_engine fires, ProcessesRuntime.exit_process prints the story's
message and every thread's stack, and the process exits.
The gRPC server listens on the run's Unix socket and answers only the run's own client
(grpc_wire.py); the design comes with the scenario, by name (by_name.py).
"""
import os
import threading

from lessons.primitives.errors import Closed
from lessons.primitives.pipechan import PipeChan
from lessons.primitives.pipes import open_pipe
from lessons.primitives.rules import RECV, SEND
from lessons.story import shape
from lessons.story.system_view import Ledger, system_view

from . import grpc_wire
from .messages import RECORDS

WHERE = "the shim's process"


def own_pipe(spec, knob):
    """A channel of this process only: a new pipe with both ends, shaped like `spec`,
    entered on the board (this process reads it)."""
    rfd, wfd = open_pipe(knob, spec.capacity)
    spec.rt.board.show_pipe(spec.name, rfd)
    return PipeChan(spec.rt, spec.name, spec.capacity, rfd, wfd, spec.senders, spec.receivers,
                    codec=RECORDS)


def stream_key(item_or_request):
    """Which open call an item goes to: a get's own call, or the topic's subscription."""
    x = item_or_request
    if getattr(x, "kind", None) in ("data", "get"):
        return ("get", x.request if x.kind == "data" else x.id)
    return ("subscribe", x.topic if x.kind == "change" else x.arg)


class Streams:
    """The `stream` channel as shim.main sees it: one bounded pipe per open call."""
    name = "stream"

    def __init__(self, spec, knob):
        self.spec, self.knob = spec, knob   # every call's pipe is shaped like `stream`
        self.calls = {}   # stream_key -> PipeChan (both ends: written here, read by the handler)
        self.lock = threading.Lock()   # guards `calls` between gRPC's threads and shim.main

    def open(self, request):
        chan = own_pipe(self.spec, self.knob)
        with self.lock:
            self.calls[stream_key(request)] = chan
        return chan

    def send(self, item, timeout=None):
        with self.lock:
            chan = self.calls.get(stream_key(item))
        if chan is None:
            return   # its call was cancelled: the client is gone, as a Go Send would error
        try:
            chan.send(item, timeout)
        except Closed:   # the handler closed the read end: the client went away
            os.close(chan.wfd)
            return
        if item.kind == "data" and item.index == item.total:
            os.close(chan.wfd)   # the get's last item: its handler reads no more

    def finish(self, request):
        """The call of `request` ended: close its read end (a blocked writer gets EPIPE).

        The write end is shim.main's to close, so it can never write to a reused fd.
        """
        with self.lock:
            chan = self.calls.pop(stream_key(request), None)
        if chan is not None:
            self.spec.rt.board.hide_pipe(self.name, chan.rfd)
            os.close(chan.rfd)


class Answers:
    """The ledger's `answered`: counts replies on the board, wakes the ping that waits for one."""

    def __init__(self, board):
        self.board = board
        self.replied = {}   # request id -> threading.Event
        self.lock = threading.Lock()

    def event(self, request_id):
        with self.lock:
            return self.replied.setdefault(request_id, threading.Event())

    def append(self, reply):
        self.board.count_answer()
        self.event(reply.id).set()


class Shim:
    """The shim's process: what its goroutines see (`view`), and the gRPC handlers
    around them."""

    def __init__(self, sc, rt, chans, live):
        knobs = {c.name: c.knob for c in shape.channels(sc)}
        self.requests = own_pipe(chans["requests"], knobs["requests"])
        self.stream = Streams(chans["stream"], knobs["stream"])
        self.answered = Answers(rt.board)
        held = dict(chans, requests=self.requests, stream=self.stream)
        if "handoff" in chans:
            held["handoff"] = own_pipe(chans["handoff"], knobs["handoff"])
        self.view = system_view(sc, held, WHERE, Ledger(answered=self.answered), live)

    # -- gRPC handlers (gRPC's threads: not actors, so they do not publish) -----------
    def serve_stream(self, request, context):
        """get N / subscribe TOPIC: queue the request, then yield what shim.main sends."""
        chan = self.stream.open(request)
        self.requests.transfer(SEND, request)
        context.send_initial_metadata(())   # tells the client its request is queued
        try:
            count = request.count if request.kind == "get" else None
            sent = 0
            while count is None or sent < count:
                yield chan.transfer(RECV, None)
                sent += 1
        finally:
            self.stream.finish(request)

    def serve_ping(self, request, context):
        """ping (and changes): queue the request, answer with the engine's reply."""
        replied = self.answered.event(request.id)
        self.requests.transfer(SEND, request)
        replied.wait()
        return request


def main(config, sc, rt, chans):
    shim = Shim(sc, rt, chans, config["live"])
    server = grpc_wire.serve(shim.serve_stream, shim.serve_ping, config["socket"],
                             config["secret"])
    design = sc.shim_design
    rt.thread("shim.requests", design.requests_goroutine, shim.view)
    rt.thread("shim.main", design.main_goroutine, shim.view)
    rt.board.set_listening()
    server.wait_for_termination()   # until the timer exits the process or the caller kills it
