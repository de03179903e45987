"""What the client asks and what the engine sends back.

A request is written `KIND [ARG] [@ T]`:
    get N               N data items (the big answer that fills the go channel buffer)
    ping                a tiny request whose only answer is the reply
    subscribe TOPIC     notify me of state changes on TOPIC
    changes TOPIC K     K state changes happen on TOPIC (published to its subscribers)
`@ T` sends it at time T (seconds since the start; virtual in sim); without it, right
after the previous one. Numbers are plain ASCII digits ('5', '0.5'): what a terminal and
the CLI echo can repeat exactly.
"""
import re
from collections import namedtuple

MAX_ITEMS = 10_000
MAX_AT = 86_400          # seconds: a request sent a day after the start at the latest
MAX_TOPIC = 64           # characters of a topic's name (it travels in one page-sized record)
COUNT = re.compile(r"[0-9]+")
SECONDS = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


class Request(namedtuple("Request", "id kind arg count at")):
    """One client request; printed as '#2 ping'."""
    __slots__ = ()

    def __str__(self):
        return f"#{self.id} {request_text(self)}"


class Item(namedtuple("Item", "request kind topic index total")):
    """One item of an answer; printed as 'data 3/32 of #1' or 'change 1/8 on prices'."""
    __slots__ = ()

    def __str__(self):
        if self.kind == "data":
            return f"data {self.index}/{self.total} of #{self.request}"
        return f"change {self.index}/{self.total} on {self.topic}"


def request_text(r):
    words = {"get": f"get {r.count}", "ping": "ping", "subscribe": f"subscribe {r.arg}",
             "changes": f"changes {r.arg} {r.count}"}[r.kind]
    return words if r.at is None else f"{words} @ {r.at:g}"

USAGE = "write KIND [ARG] [@ T]: 'get 32', 'ping', 'subscribe prices', 'changes prices 8', 'ping @ 0.5'"


def parse_requests(requests):
    """The Requests of the `requests` knob (a list or tuple of strings); ValueError naming
    the knob when it is anything else or names no request."""
    if not isinstance(requests, (list, tuple)):
        raise ValueError(f"requests must be a list of strings such as ['get 32', 'ping'], "
                         f"got {requests!r}")
    if not requests:
        raise ValueError("requests must name at least one request")
    return [parse_request(text, i) for i, text in enumerate(requests, 1)]


def parse_request(text, number):
    """A Request from its text; ValueError naming the `requests` knob when it is malformed."""
    if not isinstance(text, str) or not text.split():
        raise ValueError(f"requests: each request must be a non-empty string, got {text!r}; "
                         f"{USAGE}")
    body, at_sign, when = text.partition("@")
    words = body.split()
    kind, args = words[0] if words else "", words[1:]
    at = None
    if at_sign:
        if not SECONDS.fullmatch(when.strip()) or not 0 <= float(when) <= MAX_AT:
            raise ValueError(f"requests: in {text!r}, @ must be followed by a time in seconds "
                             f"from 0 to {MAX_AT}, e.g. 'ping @ 0.5'")
        at = float(when)
    shapes = {"get": 1, "ping": 0, "subscribe": 1, "changes": 2}
    if kind not in shapes or len(args) != shapes[kind]:
        raise ValueError(f"requests: {text!r} is not a request; {USAGE}")
    count = None
    if kind in ("get", "changes"):
        count = args[-1]
        if not COUNT.fullmatch(count) or not 1 <= int(count) <= MAX_ITEMS:
            raise ValueError(f"requests: in {text!r}, the count must be a whole number "
                             f"from 1 to {MAX_ITEMS}, in digits 0-9")
        count = int(count)
    arg = args[0] if kind in ("subscribe", "changes") else None
    if arg is not None and not topic_ok(arg):
        raise ValueError(f"requests: in {text!r}, the topic must be 1 to {MAX_TOPIC} "
                         f"printable characters without spaces")
    return Request(number, kind, arg, count, at)


def topic_ok(topic):
    """Is `topic` a topic's name: 1 to MAX_TOPIC printable characters, no spaces?"""
    return (isinstance(topic, str) and 1 <= len(topic) <= MAX_TOPIC and topic.isprintable()
            and not any(c.isspace() for c in topic))


def answer(request, subscribed):
    """The items the engine writes to notifications for one request."""
    if request.kind == "get":
        return [Item(request.id, "data", None, i, request.count)
                for i in range(1, request.count + 1)]
    if request.kind == "changes" and request.arg in subscribed:
        return [Item(request.id, "change", request.arg, i, request.count)
                for i in range(1, request.count + 1)]
    return []


def expected_items(requests):
    """How many items a client should get for these requests, sent in this order."""
    subscribed, total = set(), 0
    for request in requests:
        if request.kind == "subscribe":
            subscribed.add(request.arg)
        total += len(answer(request, subscribed))
    return total
