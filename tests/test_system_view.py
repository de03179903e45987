"""What actors see as `system`/`shim` is one SystemView, built by one function everywhere."""
import ast
import dataclasses
import inspect
from pathlib import Path

import pytest

from lessons import Scenario
from lessons.story import client, engine, shim, shim_single, shim_split, workshop
from lessons.story.scenario import Scenario as ScenarioClass
from lessons.story.system import System
from lessons.story.system_view import Elsewhere, Ledger, SystemView, system_view
from lessons.story.workshop import WorkshopView

STORY = Path(__file__).resolve().parents[1] / "lessons" / "story"
ACTOR_MODULES = {client: SystemView, engine: SystemView, shim: SystemView,
                 shim_single: SystemView, shim_split: SystemView, workshop: WorkshopView}
# Where actors get their view: the one runtime's System, each process of a processes run,
# and the notebooks' lone engine.
BUILDERS = ("story/system.py", "story/processes/engine_process.py",
            "story/processes/shim_process.py", "story/processes/client_side.py",
            "exercises/demos.py")


def names_of(view):
    """Everything an actor may read of `view`: its fields and its calls."""
    return {f.name for f in dataclasses.fields(view)} | {
        name for name, _ in inspect.getmembers(view, inspect.isfunction)}


def reads(module, params=("system", "shim")):
    """(function, attribute) for each `system.X` / `shim.X` in `module`'s functions whose
    first parameter is one of `params`."""
    found = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.FunctionDef) and node.args.args:
            param = node.args.args[0].arg
            if param in params:
                found += [(node.name, n.attr) for n in ast.walk(node)
                          if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                          and n.value.id == param]
    return found


@pytest.mark.parametrize("module", ACTOR_MODULES, ids=lambda m: m.__name__)
def test_actors_read_only_what_the_view_defines(module):
    allowed = names_of(ACTOR_MODULES[module])
    unknown = [(fn, attr) for fn, attr in reads(module) if attr not in allowed]
    assert reads(module) and not unknown, f"actors read what {ACTOR_MODULES[module].__name__} lacks"


def test_the_builder_reads_only_what_a_scenario_has():
    source = (STORY / "system_view.py").read_text()
    used = {n.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute)
            and isinstance(n.value, ast.Name) and n.value.id == "scenario"}
    assert used and used <= set(dir(ScenarioClass)) | {f.name for f in dataclasses.fields(ScenarioClass)}


@pytest.mark.parametrize("path", BUILDERS)
def test_every_process_builds_its_view_with_the_one_function(path):
    tree = ast.parse((STORY.parent / path).read_text())
    called = {n.func.id for n in ast.walk(tree)
              if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "system_view" in called
    assert not called & {"SimpleNamespace", "SystemView", "WorkshopView"}


def test_nothing_else_makes_a_view_by_hand():
    makers = []
    for path in STORY.parent.rglob("*.py"):
        for n in ast.walk(ast.parse(path.read_text())):
            if (isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                    and n.func.id in ("SystemView", "WorkshopView", "view")):
                makers.append(path.name)
    assert makers == ["system_view.py"]


def test_the_one_runtime_system_hands_its_actors_its_view():
    system = System(Scenario(design="single"))
    assert type(system.view) is SystemView
    assert system.view.handoff is system.held["handoff"] and system.view.clicks is None
    assert System(Scenario(design="split")).view.handoff is None


def test_a_channel_another_process_holds_fails_at_first_use_naming_it():
    view = system_view(Scenario(), {}, "the engine's process")
    assert isinstance(view.stream, Elsewhere)
    with pytest.raises(RuntimeError, match="'stream' is not held by the engine's process"):
        view.stream.send(1)
    with pytest.raises(RuntimeError, match="'requests' is not held"):
        iter(view.requests)


def test_a_channel_the_view_has_no_field_for_fails_when_built():
    with pytest.raises(ValueError, match="clickz"):
        system_view(Scenario(), {"clickz": object()}, "here")
    with pytest.raises(TypeError):   # every field is required: a builder cannot forget one
        SystemView(ledger=Ledger())
