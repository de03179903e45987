"""The shim's gRPC service (wire/shim.proto) on a Unix socket, and its client.

Only the run itself reaches it:
- the server listens on a Unix socket in the run's own directory (mode 0700, the
  learner's), never on a TCP port: another user cannot even connect;
- every call carries the run's secret as metadata `run-secret`; an interceptor refuses a
  call without it, or with another one, with UNAUTHENTICATED before its request is read,
  and says so in one line on the shim's stderr (the run's evidence keeps it);
- a request is parsed as shim.proto's Request and checked (messages.py): a malformed one,
  a kind the method does not carry, or an id already used in this run is refused with
  INVALID_ARGUMENT and a sentence. Nothing is unpickled.
The handlers are registered here rather than by shim_pb2_grpc's add_ShimServicer_to_server
because its deserializer raises on bytes that do not parse, which gRPC answers with
INTERNAL and a logged traceback; ours turns them into a refusal with a sentence.

gRPC must not hide the story by buffering. Its HTTP/2 flow control lets the server send
as much as the client's window allows, and by default that window grows (BDP probing)
to megabytes. The window is the *receiver's*, so the options act on the client's
channel: no BDP probing, and the smallest look-ahead. Measured with a client that reads
one item and stops (tests/test_wild_grpc.py): with the defaults the server's stream
produced all 10000 items of 46 bytes; with BDP probing off, 1897; with WINDOW_OPTIONS,
2: the one read and one more waiting in gRPC's pending send. So what a stream holds
unread is the shim's own bounded queue (`stream_window`) plus that one message.
"""
import hmac
import sys
import threading
from concurrent import futures

import grpc

from .messages import (Malformed, decode_request, item_from_wire, item_to_wire, known,
                       request_from_wire, request_to_wire)
from .wire import shim_pb2 as pb
from .wire import shim_pb2_grpc

SERVICE = pb.DESCRIPTOR.services_by_name["Shim"].full_name
STREAM, PING = f"/{SERVICE}/Stream", f"/{SERVICE}/Ping"
SECRET_KEY = "run-secret"
WINDOW_OPTIONS = [("grpc.http2.bdp_probe", 0), ("grpc.http2.lookahead_bytes", 1)]
MAX_MESSAGE = 1024   # bytes: a request is a few dozen; gRPC refuses a longer one itself
WORKERS = 16   # one per open call: a streaming call holds its worker while it streams
MAX_SAID = 20   # refusal lines a shim prints at most: its stderr is kept in memory
REFUSED = "shim: refused a call"   # how each line about a refused call begins
CARRIES = {STREAM: ("get", "subscribe"), PING: ("ping", "changes")}


class Refusals:
    """Says each refused call in one line on stderr (the first MAX_SAID of them)."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def refuse(self, context, code, sentence):
        with self.lock:
            self.count += 1
            count = self.count
        if count <= MAX_SAID:
            more = " (further refusals are not shown)" if count == MAX_SAID else ""
            print(f"{REFUSED} ({code.name}): {sentence}{more}",
                  file=sys.stderr, flush=True)
        context.abort(code, sentence)


class SecretCheck(grpc.ServerInterceptor):
    """Lets through only calls that carry the run's secret (compared in constant time)."""

    def __init__(self, secret, refusals):
        self.secret, self.refusals = secret.encode(), refusals

    def intercept_service(self, continuation, details):
        given = [value for key, value in details.invocation_metadata if key == SECRET_KEY]
        if len(given) == 1 and hmac.compare_digest(str(given[0]).encode(), self.secret):
            return continuation(details)
        why = "with a wrong secret" if given else "without the run's secret"

        def deny(_, context):
            self.refusals.refuse(context, grpc.StatusCode.UNAUTHENTICATED,
                                 f"a call to {details.method} {why}")
        unread = dict(request_deserializer=bytes)   # its request stays bytes, never parsed
        if details.method == STREAM:
            return grpc.unary_stream_rpc_method_handler(deny, **unread)
        return grpc.unary_unary_rpc_method_handler(deny, **unread)


class Checked:
    """The handlers' gate: each request parsed, checked and new, or the call refused."""

    def __init__(self, refusals):
        self.refusals = refusals
        self.ids = set()   # the ids this run's requests used
        self.lock = threading.Lock()

    def request(self, method, message):
        """The story's Request in `message`, or ValueError saying why the call is refused."""
        if isinstance(message, Malformed):
            raise ValueError(message.reason)
        request = request_from_wire(message)
        if request.kind not in CARRIES[method]:
            raise ValueError(f"{method} carries {' and '.join(CARRIES[method])}, "
                             f"not {request.kind}")
        with self.lock:
            if request.id in self.ids:
                raise ValueError(f"request id {request.id} was already used in this run")
            self.ids.add(request.id)
        return request

    def wrap(self, method, behaviour):
        def handle(message, context):
            try:
                request = self.request(method, message)
            except ValueError as exc:
                self.refusals.refuse(context, grpc.StatusCode.INVALID_ARGUMENT, str(exc))
            return behaviour(request, context)
        return handle


def serve(stream, ping, path, secret, workers=WORKERS):
    """Start a server on the Unix socket `path` that answers only calls carrying `secret`.

    `stream(request, context)` yields the story's Items; `ping(request, context)` returns
    the engine's reply (a Request). Both get the story's Request, already checked.
    """
    refusals = Refusals()
    gate = Checked(refusals)
    handler = grpc.method_handlers_generic_handler(SERVICE, {
        "Stream": grpc.unary_stream_rpc_method_handler(
            gate.wrap(STREAM, stream), request_deserializer=decode_request,
            response_serializer=lambda item: item_to_wire(item).SerializeToString()),
        "Ping": grpc.unary_unary_rpc_method_handler(
            gate.wrap(PING, ping), request_deserializer=decode_request,
            response_serializer=lambda reply: pb.Reply(id=reply.id).SerializeToString()),
    })
    server = grpc.server(futures.ThreadPoolExecutor(workers, thread_name_prefix="grpc"),
                         handlers=[handler], interceptors=[SecretCheck(secret, refusals)],
                         options=[("grpc.max_receive_message_length", MAX_MESSAGE)],
                         maximum_concurrent_rpcs=workers)
    server.add_insecure_port(f"unix:{path}")   # RuntimeError if it cannot bind
    server.start()
    return server


class ShimClient:
    """A client of the shim's service (shim_pb2_grpc's stub), with the small flow-control
    window and the run's secret on every call."""

    def __init__(self, path, secret):
        self.channel = grpc.insecure_channel(f"unix:{path}", options=WINDOW_OPTIONS)
        self.stub = shim_pb2_grpc.ShimStub(self.channel)
        self.metadata = ((SECRET_KEY, secret),)

    def stream(self, request):
        """Start a server-streaming call; read its items with `items(call)` (slowly, or not)."""
        return self.stub.Stream(request_to_wire(request), metadata=self.metadata)

    def ping(self, request):
        """Start a unary call without waiting for it: a future of the Reply message."""
        return self.stub.Ping.future(request_to_wire(request), metadata=self.metadata)

    def close(self):
        self.channel.close()   # cancels every call still open

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def items(call):
    """The story's Items of a streaming call, each checked as it arrives."""
    for message in call:
        known(message)
        yield item_from_wire(message)
