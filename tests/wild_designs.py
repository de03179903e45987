"""Shim designs for tests/test_wild_processes.py, in a module the shim's process can import."""
from lessons.story.shim import Design
from lessons.story.shim_split import requests_goroutine


def main_that_crashes(shim):
    shim.notifications.recv()
    raise ZeroDivisionError("shim.main's bug")


crashing = Design("crashing", requests_goroutine, main_that_crashes, engine_caller="shim.requests")
