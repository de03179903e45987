"""The engine's process: single-threaded, like the C process of the story.

Its one thread is the actor `engine`, running story/engine.py unchanged; its channels
are the read end of `c_buffer` and the write ends of `replies` and `notifications`. A
full `notifications` blocks this thread, and so the whole process, inside write().
"""
from types import SimpleNamespace

from lessons.story.engine import engine


def main(config, rt, chans):
    system = SimpleNamespace(c_buffer=chans["c_buffer"], replies=chans["replies"],
                             notifications=chans["notifications"],
                             may_subscribe=lambda request: True)   # as the story's System answers
    rt.run_actor("engine", engine, system)
