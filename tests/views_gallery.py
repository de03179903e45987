"""Every figure the views draw, in the states a class sees: for the figure and colour tests.

    matplotlib_figures()   name -> a ShownFigure (timeline, heat map, table, fairness, ...)
    diagrams()             name -> a Diagram (wait-for graphs, architecture, dining graph)
"""
import functools

import dining
from dining.session import Session
from dining.views import draw_table, fairness_chart, table_diagram
from lessons import Scenario, run
from lessons.tools.stepper import Stepper
from lessons.tools.sweep import sweep
from lessons.views.architecture import architecture_diagram
from lessons.views.heatmap import heat_map
from lessons.views.timeline import timeline
from lessons.views.waitgraph import diagram_of

# The notebook's output width at 1400 px with JupyterLab's file browser open, with a
# margin (tests/browser/test_views_a11y.py measures the real one and checks it is wider).
NOTEBOOK_WIDTH_PX = 960
CSS_PX_PER_PT = 96 / 72
MIN_TEXT_PX = 10


@functools.lru_cache(maxsize=None)
def matplotlib_figures():
    happy = Scenario(design="single", client="slow", requests=["get 32", "ping @ 2"])
    return {
        "timeline-deadlock": timeline(run(Scenario(seed=3))),
        "timeline-happy": timeline(run(happy)),
        "heat-map": heat_map(sweep(capacities=(1, 2, 4, 8), sizes=(4, 8, 16, 32),
                                   seeds=range(2))),
        "table-deadlock": draw_table(dining.run(strategy="naive", seed=0)),
        "table-completed": draw_table(dining.run(strategy="waiter", seed=0)),
        "fairness-deadlock": fairness_chart(dining.run(strategy="naive", seed=0)),
        "fairness-livelock": fairness_chart(dining.run(strategy="trylock", seed=49)),
    }


def _stepped(knobs, to_the_end=False):
    with Stepper(Scenario(**knobs)) as s:
        s.play()
        while to_the_end and not s.over():
            s.step(s.enabled()[0] if len(s.enabled()) == 1 else "shim.main")
        return diagram_of(s)


def _table(strategy, seed):
    s = Session(strategy=strategy, seed=seed)
    try:
        s.run()
        return table_diagram(s)
    finally:
        s.close()


@functools.lru_cache(maxsize=None)
def diagrams():
    return {
        "wait-for-deadlock": _stepped(dict(design="single")),
        "wait-for-exited": _stepped(dict(design="single"), to_the_end=True),
        "wait-for-stall": _stepped(dict(design="split", client="stalled")),
        "architecture": architecture_diagram(),
        "dining-deadlock": _table("naive", 0),
        "dining-livelock": _table("trylock", 49),
    }
