"""The story's Request and Item as the wire's messages (wire/shim.proto), both ways.

Whatever arrives from another process is checked here before the story sees it: a
message that does not parse, carries fields the schema does not know, or holds a value
outside the ranges of the `requests` knob (lessons/story/requests.py) is refused with a
sentence (ValueError), never decoded into anything else. gRPC's handlers refuse such a
call with INVALID_ARGUMENT (grpc_wire.py); a pipe's reader raises it (a page record,
primitives/pipes.py, framed by `RECORDS`).
"""
import math

from google.protobuf.message import DecodeError
from google.protobuf.unknown_fields import UnknownFieldSet

from lessons.story.requests import MAX_AT, MAX_ITEMS, MAX_TOPIC, Item, Request, topic_ok

from .wire import shim_pb2 as pb

REQUEST_KINDS = {"get": pb.REQUEST_KIND_GET, "ping": pb.REQUEST_KIND_PING,
                 "subscribe": pb.REQUEST_KIND_SUBSCRIBE, "changes": pb.REQUEST_KIND_CHANGES}
ITEM_KINDS = {"data": pb.ITEM_KIND_DATA, "change": pb.ITEM_KIND_CHANGE}
WITH_TOPIC = ("subscribe", "changes", "change")
WITH_COUNT = ("get", "changes")
MAX_ID = 2**31 - 1


class Malformed:
    """What a gRPC request that did not parse becomes: the handler refuses it."""

    def __init__(self, reason):
        self.reason = reason


def parse(cls, data):
    """`cls` parsed from `data`, or ValueError with a sentence."""
    try:
        return cls.FromString(data)
    except DecodeError:
        raise ValueError(f"{len(data)} bytes that are not a {cls.__name__} message of "
                         f"the shim's wire (shim.proto)") from None


def known(*messages):
    """ValueError if one of `messages` carries fields shim.proto does not name."""
    for message in messages:
        if len(UnknownFieldSet(message)):
            raise ValueError(f"a {type(message).__name__} message with fields shim.proto "
                             f"does not name")


def decode_request(data):
    """gRPC's request deserializer: a Request message, or Malformed (it never raises, so
    gRPC never logs a traceback for what a caller sent)."""
    try:
        message = parse(pb.Request, data)
        known(message)
    except ValueError as exc:
        return Malformed(str(exc))
    return message


# -- Request --------------------------------------------------------------------------
def request_to_wire(r):
    return pb.Request(id=r.id, kind=REQUEST_KINDS[r.kind], topic=r.arg or "",
                      count=r.count or 0, at=r.at)


def request_from_wire(m):
    """The story's Request from a message, or ValueError saying what is wrong with it."""
    kind = name_of(REQUEST_KINDS, m.kind, "request")
    if not 1 <= m.id <= MAX_ID:
        raise ValueError(f"a request's id must be from 1 to {MAX_ID}, got {m.id}")
    topic, count = fields(kind, m.topic, m.count, "count")
    at = m.at if m.HasField("at") else None
    if at is not None and not (math.isfinite(at) and 0 <= at <= MAX_AT):
        raise ValueError(f"a request's at must be from 0 to {MAX_AT} seconds, got {at!r}")
    return Request(m.id, kind, topic, count, at)


# -- Item -----------------------------------------------------------------------------
def item_to_wire(item):
    return pb.Item(request=item.request, kind=ITEM_KINDS[item.kind], topic=item.topic or "",
                   index=item.index, total=item.total)


def item_from_wire(m):
    """The story's Item from a message, or ValueError saying what is wrong with it."""
    kind = name_of(ITEM_KINDS, m.kind, "item")
    if not 1 <= m.request <= MAX_ID:
        raise ValueError(f"an item's request must be from 1 to {MAX_ID}, got {m.request}")
    topic, total = fields(kind, m.topic, m.total, "total")
    if not 1 <= m.index <= total:
        raise ValueError(f"an item's index must be from 1 to its total ({total}), got {m.index}")
    return Item(m.request, kind, topic, m.index, total)


def name_of(kinds, number, what):
    for name, value in kinds.items():
        if value == number:
            return name
    raise ValueError(f"a{'n' if what[0] in 'aeiou' else ''} {what}'s kind must be one of "
                     f"{', '.join(kinds)}; got kind number {number}")


def fields(kind, topic, count, count_name):
    """(topic or None, count or None) for `kind`, each present exactly where it belongs."""
    if kind in WITH_TOPIC and not topic_ok(topic):
        raise ValueError(f"{kind}: the topic must be 1 to {MAX_TOPIC} printable characters "
                         f"without spaces, got {topic[:MAX_TOPIC]!r}"
                         f"{'...' if len(topic) > MAX_TOPIC else ''}")
    if kind not in WITH_TOPIC and topic:
        raise ValueError(f"{kind} carries no topic, got {topic[:MAX_TOPIC]!r}")
    counted = kind in WITH_COUNT or kind in ITEM_KINDS
    if counted and not 1 <= count <= MAX_ITEMS:
        raise ValueError(f"{kind}: the {count_name} must be from 1 to {MAX_ITEMS}, got {count}")
    if not counted and count:
        raise ValueError(f"{kind} carries no {count_name}, got {count}")
    return (topic if kind in WITH_TOPIC else None), (count if counted else None)


# -- page records (the pipes between processes) ------------------------------------------
class Records:
    """The codec of every pipe of a processes run: a Request or an Item as a `Record`."""

    @staticmethod
    def pack(value):
        if isinstance(value, Request):
            return pb.Record(request=request_to_wire(value)).SerializeToString()
        if isinstance(value, Item):
            return pb.Record(item=item_to_wire(value)).SerializeToString()
        raise TypeError(f"only the story's requests and items cross between processes, "
                        f"not {type(value).__name__}: {value!r:.60}")

    @staticmethod
    def unpack(data):
        record = parse(pb.Record, data)
        body = record.WhichOneof("body")
        if body is None:
            raise ValueError("a record that holds neither a request nor an item")
        known(record, getattr(record, body))
        if body == "request":
            return request_from_wire(record.request)
        return item_from_wire(record.item)


RECORDS = Records()
