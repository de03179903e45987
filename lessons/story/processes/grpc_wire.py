"""The shim's gRPC service and its client, without generated code.

Two methods on service `lessons.Shim`, registered as generic handlers whose messages
are pickled Python values (both ends are this course's own processes on 127.0.0.1):
    Stream   server-streaming: `get N` and `subscribe TOPIC`; the answer's items
    Ping     unary: `ping` (and any request with no items); the engine's reply

gRPC must not hide the story by buffering. Its HTTP/2 flow control lets the server send
as much as the client's window allows, and by default that window grows (BDP probing)
to megabytes. The window is the *receiver's*, so the options act on the client's
channel: no BDP probing, and the smallest look-ahead. Measured with a client that reads
one item and stops (tests/test_wild_grpc.py): with the defaults the server's stream
produced all 10000 items of 46 bytes; with BDP probing off, 1897; with WINDOW_OPTIONS,
2: the one read and one more waiting in gRPC's pending send. So what a stream holds
unread is the shim's own bounded queue (`stream_window`) plus that one message.
"""
import pickle
from concurrent import futures

import grpc

SERVICE = "lessons.Shim"
STREAM, PING = f"/{SERVICE}/Stream", f"/{SERVICE}/Ping"
WINDOW_OPTIONS = [("grpc.http2.bdp_probe", 0), ("grpc.http2.lookahead_bytes", 1)]
HOST = "127.0.0.1"
WORKERS = 16   # one per open call: a streaming call holds its worker while it streams


def serve(stream, ping, workers=WORKERS):
    """Start a server on a free port of 127.0.0.1; return (server, port).

    `stream(request, context)` yields items; `ping(request, context)` returns the reply.
    """
    handler = grpc.method_handlers_generic_handler(SERVICE, {
        "Stream": grpc.unary_stream_rpc_method_handler(
            stream, request_deserializer=pickle.loads, response_serializer=pickle.dumps),
        "Ping": grpc.unary_unary_rpc_method_handler(
            ping, request_deserializer=pickle.loads, response_serializer=pickle.dumps),
    })
    server = grpc.server(futures.ThreadPoolExecutor(workers, thread_name_prefix="grpc"),
                         handlers=[handler], maximum_concurrent_rpcs=workers)
    port = server.add_insecure_port(f"{HOST}:0")
    server.start()
    return server, port


class ShimClient:
    """A client of the shim's service, with the small flow-control window."""

    def __init__(self, port):
        self.channel = grpc.insecure_channel(f"{HOST}:{port}", options=WINDOW_OPTIONS)
        self._stream = self.channel.unary_stream(
            STREAM, request_serializer=pickle.dumps, response_deserializer=pickle.loads)
        self._ping = self.channel.unary_unary(
            PING, request_serializer=pickle.dumps, response_deserializer=pickle.loads)

    def stream(self, request):
        """Start a server-streaming call; iterate it to read items (read slowly, or not)."""
        return self._stream(request)

    def ping(self, request):
        """Start a unary call without waiting for it: a future of the reply."""
        return self._ping.future(request)

    def close(self):
        self.channel.close()   # cancels every call still open

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
