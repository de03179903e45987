"""The engine: the single-threaded C process, rebuilt as one actor.

It takes one request at a time from the C buffer, replies that it has it, then writes
the answer into the go channel buffer (`notifications`), item by item. When that buffer
is full it blocks until someone reads: the whole engine stops, because it has only one
thread. That single fact is half of the story's deadlock.

Before it accepts a subscription the engine asks its system `may_subscribe(request)`:
the story's system says yes at once; the workshop's (lessons/story/workshop.py) asks the
Go side over a callback and waits for the answer.
"""
from lessons.story.requests import answer


def engine(system):
    """The engine's loop: request in, reply, answer items out, forever."""
    subscribed = set()
    for request in system.c_buffer:
        system.replies.send(request)                 # "I have your request"
        if request.kind == "subscribe" and system.may_subscribe(request):
            subscribed.add(request.arg)
        for item in answer(request, subscribed):
            system.notifications.send(item)          # blocks while the buffer is full
