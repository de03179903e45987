"""Slides for the 50-minute lecture (plan A of docs/instructor-guide.md), one 16:9 PDF
page each (build/handouts/slides.pdf; `make handouts`). Each slide names the notebook
cell to run next: the slides frame the live demo, they do not replace it."""
from handouts.pages import CREDIT, Page, drawing, figure_image
from lessons import Scenario
from lessons.analysis import waitfor
from lessons.exercises import freeze
from lessons.tools.sweep import sweep
from lessons.views import heat_map
from lessons.views.architecture import architecture_diagram
from lessons.views.waitgraph import wait_for_diagram

WIDE = (13.33, 7.5)
SLIDES = [
    ("Deadlock in the Wild", [
        "A Go gRPC shim and a single-threaded C engine, waiting on each other",
        "through two bounded buffers. In production: exits after exactly one hour.",
        "Today: trigger it, diagnose it, fix it, and prove the fix for small bounds.",
        "Retold from \"Deadlock in the wild\", Connor Stein, 6 January 2018."], None),
    ("1 · The incident (notebook 00, 5 min)", [
        "Run: the architecture cell, then result = run(story) and print(result.summary()).",
        "Read the summary line by line. Ask: how long did that hour take?"], "architecture"),
    ("2 · Trigger it (notebook 04, 10 min)", [
        "Predict the banner first. Then click Send big request, then Send ping.",
        "DEADLOCK, then SHIM EXITED. The clock is the run's time now;",
        "the graph's title says when the deadlock formed.",
        "Then the real-threads cell: the stacks at exit, each innocent on its own."], None),
    ("3 · Diagnose (notebook 05, 10 min)", [
        "Three suspects, one log line: slow client, stalled client, fast client.",
        "Who waits for whom? A loop inside the system is a deadlock;",
        "a chain to the client is a stall.",
        "Coffman: mutual exclusion, hold and wait, no preemption, circular wait.",
        "Ask the room: which condition does the one-hour timer break?"], "waitgraph"),
    ("4 · Fix it (notebook 06, 10 min)", [
        "The diff cell: shim.requests calls the engine itself; shim.main only drains.",
        "Hold and wait broken at shim.main, so circular wait cannot close.",
        "check_fix('single', channel_capacity=256): the bigger buffer fails.",
        "The heat map: the red region starts at capacity + 1 and only moves right."], "heatmap"),
    ("5 · Be the scheduler (notebook 07, 10 min)", [
        "found = explore(small): the shortest deadlocking schedule.",
        "StepView(small.with_(schedule=found.schedule)): replay it, move by move.",
        "explore(small.with_(design='split')): no deadlock within these bounds.",
        "What does that prove? Every schedule of this configuration; nothing bigger."], None),
    ("6 · Quiz (notebook 09, 5 min)", [
        "1. Two goroutines in the code: why was there effectively one?",
        "2. Why did no runtime detector catch it?",
        "3. The shim exited after an hour. Was the timer the bug?",
        "Then: the workshop (09) and the real processes (10) on your own."], None),
]


def images():
    """The drawings the slides show, by name."""
    graph = freeze(Scenario(design="single", client="slow", seed=3))
    return {"architecture": drawing(architecture_diagram()),
            "waitgraph": drawing(wait_for_diagram(graph, waitfor.verdict(graph))),
            "heatmap": figure_image(heat_map(sweep(seeds=range(12))))}


def pages():
    pictures, made = images(), []
    for title, bullets, picture in SLIDES:
        page = Page(WIDE, margin=0.05)
        page.text(title, size=28, weight="bold", gap=0.03)
        for line in bullets:
            page.text(line, size=17, gap=0.006, chars=90)
        if picture:
            page.picture(pictures[picture], min(0.5, page.y - 0.08))
        page.foot(CREDIT)
        made.append(page)
    return made
