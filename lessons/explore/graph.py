"""The explored state space, drawn: every state a search reached and every move it made.

    found = explore(Scenario(design="single", client="fast", channel_capacity=1,
                             stream_window=1, requests=["get 2", "ping"]))
    found.graph()      # a graphviz.Digraph (Jupyter shows it where `dot` is installed)

In the spirit of the state graphs TLA+'s tutorials draw for a bounded queue: each state is
a small node labelled with how full each primitive is (in the order the title lists
them), the start at the top and every move a labelled arrow one level down. A state
where a deadlock formed is a red octagon; a state where nothing can move and nothing is
wrong (every request served) is a green double circle; a state the search reached but
did not go on from (deeper than the deadlock it had found) has a dotted outline. A plain
state with no arrow out had all its moves asleep: they only reorder moves explored from
a sibling (sleep sets). The shortest schedule to a deadlock is drawn in blue, dashed and
thick. The title says how many states and moves the reduction skipped: what a search
without it reaches, to the same depth, minus what this one explored.
"""
from lessons.primitives import rules

MAX_DRAWN_STATES = 2_000      # past a few hundred a drawing stops being readable anyway
FONT = "Helvetica,Arial,sans-serif"
DEADLOCK = {"shape": "octagon", "style": "filled", "fillcolor": "#f4a6a6", "color": "#b00000",
            "penwidth": "2"}
FINAL = {"shape": "doublecircle", "style": "filled", "fillcolor": "#cdebc5",
         "color": "#2e7d32"}
STATE = {"shape": "circle", "style": "filled", "fillcolor": "white", "color": "gray40"}
START = {**STATE, "penwidth": "2.5", "color": "black"}
UNEXPLORED = {**STATE, "style": "filled,dotted"}
MOVE = {"color": "gray55", "fontcolor": "gray40", "style": "solid"}
SHORTEST = {"color": "#1f5fbf", "fontcolor": "#1f5fbf", "style": "dashed", "penwidth": "2.5"}


def draw(drawn, every):
    """A graphviz.Digraph of `drawn` (an Exploration made with record=True), with what
    `every` (the same search without reduction) shows the reduction skipped."""
    import graphviz
    search = drawn.recorded
    if len(search.reached) > MAX_DRAWN_STATES:
        raise ValueError(f"graph draws at most {MAX_DRAWN_STATES} states and this search "
                         f"reached {len(search.reached)}: shrink the configuration (smaller "
                         "capacities, fewer or smaller requests)")
    prims = search.successors.world.prims
    number = {key: str(n) for n, key in enumerate(search.reached)}
    g = graphviz.Digraph(graph_attr={"rankdir": "TB", "label": _title(drawn, every, prims),
                                     "labelloc": "t", "fontname": FONT, "fontsize": "13",
                                     "nodesep": "0.15", "ranksep": "0.3"},
                         node_attr={"fontname": FONT, "fontsize": "9", "width": "0.3",
                                    "margin": "0.02"},
                         edge_attr={"fontname": FONT, "fontsize": "8", "arrowsize": "0.5"})
    for n, (key, state) in enumerate(search.reached.items()):
        visit = search.seen.get(key)
        look = (DEADLOCK if state.deadlock is not None else START if n == 0
                else FINAL if not state.offer
                else UNEXPLORED if visit is not None and not visit.expanded else STATE)
        g.node(number[key], _label(state, prims), tooltip=_tooltip(state, prims), **look)
    shortest = set(_along(search, drawn.schedule_tokens()))
    for tail, word, head in search.moves:
        g.edge(number[tail], number[head], label=word,
               **(SHORTEST if (tail, word) in shortest else MOVE))
    return g


def _along(search, tokens):
    """The (state identity, token) of each move of the schedule `tokens`, from the start."""
    step = {(tail, word): head for tail, word, head in search.moves}
    key = next(iter(search.reached))
    for word in tokens:
        yield key, word
        key = step[key, word]


def _title(drawn, every, prims):
    names = ", ".join(name for _, name, _, _ in prims)
    skipped_states = every.states - drawn.states
    skipped_moves = every.transitions - drawn.transitions
    outcome = (f"a shortest deadlock in {len(drawn.schedule_tokens())} moves (blue, dashed)"
               if drawn.verdict == "deadlock" else drawn.verdict)
    return (f"{drawn.states} states and {drawn.transitions} moves explored: {outcome}\n"
            f"the reduction skipped {skipped_states} states and {skipped_moves} moves "
            f"(without it: {every.states} states, {every.transitions} moves)\n"
            f"each state: how full {names} are")


def _label(state, prims):
    return "".join(str(rules.depth(kind, held)) for (kind, _, _, _), held
                   in zip(prims, state.contents))


def _tooltip(state, prims):
    """Hovering over a state in the SVG shows its contents in full."""
    return "\n".join(f"{name}: {held}" for (_, name, _, _), held in zip(prims, state.contents))
