"""Views: widgets and drawings of the model. Nothing outside views imports them.

    ControlRoom(scenario)        the live control room (ipywidgets)
    StepView(scenario)           step mode: the learner as scheduler (ipywidgets)
    wait_for_graph(run)          the wait-for graph now (graphviz, or matplotlib without dot)
    architecture()               both shim designs side by side
    timeline(result)             lanes per actor, channel depths, key moments (matplotlib)
    heat_map(sweep(...))         outcome over channel capacity x request size
"""
from .architecture import architecture
from .control_room import ControlRoom
from .heatmap import heat_map
from .step_view import StepView
from .timeline import timeline
from .waitgraph import wait_for_graph

__all__ = ["ControlRoom", "StepView", "architecture", "heat_map", "timeline", "wait_for_graph"]
