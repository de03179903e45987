"""The package's structure holds: layers import only downward, no module imports form a
cycle, and nothing changes another module's class, a runtime or a primitive from outside
(observers watch; nothing is patched)."""
import ast
import sys
from pathlib import Path

import pytest

from tests.paths import REPO

# Lowest first: a module may import from its own layer and the ones before it.
LAYERS = ["primitives", "analysis", "runtime", "story", "cases", "explore", "tools",
          "exercises", "views", "cli"]
PACKAGES = ("lessons", "dining")


def modules():
    """{dotted name: path} of every module of the course's packages."""
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(name, path, known):
    """The course modules `name` imports, anywhere in its file (functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] in PACKAGES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] not in PACKAGES:
                continue
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known)
    return found & known.keys()


def graph():
    known = modules()
    return {name: imports(name, path, known) - {name} for name, path in known.items()}


def layer(name):
    parts = name.split(".")
    if parts[0] != "lessons" or len(parts) < 2:
        return None   # the facade (lessons/__init__, __main__) and dining sit above all layers
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def test_every_lessons_module_is_in_a_layer():
    loose = [m for m in graph() if m.startswith("lessons.") and layer(m) is None
             and m != "lessons.__main__"]
    assert loose == []


def test_no_module_imports_a_higher_layer_or_the_facade():
    wrong = []
    for name, targets in graph().items():
        mine = layer(name)
        for target in targets:
            if name.startswith("lessons.") and name != "lessons.__main__" and target == "lessons":
                wrong.append(f"{name} imports the facade `lessons`")
            elif mine is not None and layer(target) is not None and layer(target) > mine:
                wrong.append(f"{name} ({LAYERS[mine]}) imports {target} ({LAYERS[layer(target)]})")
    assert wrong == []


def test_no_import_cycle():
    g = graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):   # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in g[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            # A package's __init__ re-exporting its own submodules is not a cycle.
            if len(component) > 1 and not all(c.startswith(min(component)) for c in component):
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in g:
        if v not in index:
            visit(v)
    assert cycles == []


def test_no_module_assigns_to_an_imported_class_or_module():
    """`Request.__str__ = ...` after the class is made, `module.x = ...`, setattr on
    another object: each changes what another module defined, behind its back."""
    wrong = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text())
        imported = {alias.asname or alias.name.split(".")[0]
                    for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                    for alias in node.names}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    for sub in ast.walk(target):
                        if (isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store)
                                and isinstance(sub.value, ast.Name) and sub.value.id in imported):
                            wrong.append(f"{name}:{node.lineno}: {ast.unparse(sub)} = ...")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("setattr", "delattr")
                    and not (isinstance(node.args[0], ast.Name) and node.args[0].id == "self")):
                wrong.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert wrong == []


@pytest.fixture
def guarded(monkeypatch):
    """Runtimes, their actors and primitives refuse attribute writes from outside their
    own package while the test runs."""
    from lessons.primitives.base import Primitive
    from lessons.runtime.actor import Actor
    from lessons.runtime.base import Runtime
    writes = []

    def guard(cls, home):
        original = cls.__setattr__

        def checked(obj, attribute, value):
            caller = Path(sys._getframe(1).f_code.co_filename).resolve()
            if not caller.is_relative_to(home):
                writes.append(f"{caller.name}:{sys._getframe(1).f_lineno} sets "
                              f"{type(obj).__name__}.{attribute}")
            original(obj, attribute, value)
        monkeypatch.setattr(cls, "__setattr__", checked)

    guard(Runtime, REPO / "lessons" / "runtime")
    guard(Actor, REPO / "lessons" / "runtime")
    guard(Primitive, REPO / "lessons" / "primitives")
    return writes


def test_runtimes_and_primitives_are_changed_only_by_their_own_code(guarded):
    import dining
    from lessons import Scenario, explore, run
    from lessons.tools.live import LiveRun
    from lessons.tools.stacks import run_with_stacks
    from lessons.tools.stepper import Stepper
    for design in ("single", "split"):
        run(Scenario(design=design, seed=1))
        run(Scenario(design=design, runtime="threads", timeout=0.2, read_interval=0.002))
    run_with_stacks(Scenario(seed=2))
    explore(Scenario(client="fast", channel_capacity=1, requests=["get 2", "ping"]))
    with Stepper(Scenario(channel_capacity=2, request_size=4)) as s:
        s.play()
        s.undo()
    with LiveRun(Scenario(client="fast")) as live:
        live.send("get 3")
        live.wait_for("COMPLETED", max_seconds=10)
    for strategy in dining.STRATEGIES:
        dining.run(philosophers=3, strategy=strategy, meals=1)
    assert guarded == []
