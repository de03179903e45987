"""The printable handout: the story, the wait-for graph, the four conditions and the
debugging checklist, on two A4 pages (build/handouts/handout.pdf; `make handouts`)."""
from lessons import Scenario
from lessons.analysis import waitfor
from lessons.exercises import freeze
from lessons.story.shim_single import single
from lessons.views.architecture import architecture_diagram
from lessons.views.waitgraph import wait_for_diagram

from handouts.pages import CREDIT, Page, drawing

A4 = (8.27, 11.69)
STORY = (
    "A Go process (the shim) is a gRPC server between clients and a single-threaded C "
    "process (the engine). The shim queues each request into a buffer in the engine and "
    "waits, with a one-hour timer, for its reply; the engine writes answers and "
    "notifications into a bounded go channel buffer, which the shim drains and streams to "
    "the client. When the buffer is full, the engine blocks until someone drains it.\n"
    "In production, with a bigger configuration, the shim exited now and then: \"queued a "
    "request, no response in 1 hour\". The new client code was suspected first. The bug "
    "was in the shim: its request goroutine handed every request to the main goroutine, "
    "so one goroutine both drained the buffer and waited on the engine. A big answer "
    "fills the buffer and blocks the engine; a second request makes the main goroutine "
    "wait for the engine's reply. Each now waits for the other: a deadlock across two "
    "processes and two languages, which no runtime's detector could see.")
GRAPH = (
    "Draw one arrow from each blocked actor to every actor that could unblock it, "
    "labelled with the channel. A loop among the system's own actors is a deadlock: "
    "nothing outside can end it (a timer only ends the process). A chain that leaves the "
    "system, to a client that must read, is a stall: it ends when the outside acts.")
CONDITIONS = [
    ("mutual exclusion", "a resource serves one user at a time",
     "the engine's one thread; a slot in the buffer holds one item"),
    ("hold and wait", "holding one resource while waiting for another",
     "shim.main holds the only draining job while it waits on replies"),
    ("no preemption", "nobody can take a held resource away",
     "nothing makes shim.main drain while it sits in call_engine"),
    ("circular wait", "a cycle of waits",
     "shim.main -> engine (replies), engine -> shim.main (notifications)"),
]
CHECKLIST = [
    "Is anything moving? Deadlock and stall look alike from outside: one log line, one exit.",
    "Dump the stacks of every process, not just the one that crashed. Each will look innocent.",
    "For each blocked thread, find whom it waits FOR: the other end of its channel, pipe or lock "
    "(on Linux: /proc/PID/task/TID/wchan and syscall, /proc/PID/fd for the pipe's inode).",
    "Draw the wait-for graph across every process. Loop inside the system: deadlock. "
    "Chain to the outside: stall.",
    "In the loop, find the actor that holds one thing while it waits for another. Count threads "
    "of control, not goroutines: who actually does the waiting?",
    "Fix by breaking one condition where the loop needs it: give the two jobs to two threads, or "
    "keep serving while waiting (a select). A bigger buffer moves the threshold (capacity + 1); "
    "a timeout turns a hang into a crash.",
    "Prove the fix: explore every schedule of a small configuration. Passing seeds is a sample.",
]


def page_one():
    page = Page(A4)
    page.text("Deadlock in the Wild", size=18, weight="bold")
    page.text("The story", size=13, weight="bold", gap=0.006)
    page.text(STORY, size=10)
    page.picture(drawing(architecture_diagram((single,))), 0.24)
    page.text("The wait-for graph", size=13, weight="bold", gap=0.006)
    page.text(GRAPH, size=10)
    graph = freeze(Scenario(design="single", client="slow", seed=3))
    page.picture(drawing(wait_for_diagram(graph, waitfor.verdict(graph))), min(0.3, page.y - 0.08))
    page.foot(CREDIT)
    return page


def page_two():
    page = Page(A4)
    page.text("The four Coffman conditions (all four hold in every deadlock)", size=13, weight="bold")
    for name, general, here in CONDITIONS:
        page.text(f"{name}: {general}.\n    In the story: {here}.", size=10, gap=0.008)
    page.text("Break any one and the deadlock cannot form. The fix (the split design) breaks "
              "hold and wait at shim.main, so the circular wait can no longer close. The "
              "one-hour timer breaks none: it only picks when the process dies.", size=10, gap=0.02)
    page.text("Debugging checklist", size=13, weight="bold")
    for n, step in enumerate(CHECKLIST, 1):
        page.text(f"{n}. {step}", size=10, gap=0.008)
    page.text("Words: deadlock (a set that can never move again: each waits on another member); "
              "stall (waits lead outside; ends when the outside acts); livelock (busy, no "
              "progress); starvation (progress, but one actor is passed over).", size=10, gap=0.02)
    page.foot(CREDIT)
    return page


def pages():
    return [page_one(), page_two()]
