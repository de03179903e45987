"""The engine's process: single-threaded, like the C process of the story.

Its one thread is the actor `engine`, running story/engine.py unchanged; its channels
are the read end of `c_buffer` and the write ends of `replies` and `notifications`. A
full `notifications` blocks this thread, and so the whole process, inside write().
"""
from lessons.story.engine import engine
from lessons.story.system_view import system_view

WHERE = "the engine's process"


def main(config, sc, rt, chans):
    system = system_view(sc, chans, WHERE, live=config["live"])
    rt.run_actor("engine", engine, system)
