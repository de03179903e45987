"""The explored state space, drawn: every state a search reached and every move it made.

    found = explore(Scenario(design="single", client="fast", channel_capacity=1,
                             stream_window=1, requests=["get 2", "ping"]))
    found.graph()                 # a graphviz.Digraph (Jupyter shows it where `dot` is installed)
    found.graph(path_only=True)   # only the shortest way to the deadlock

In the spirit of the state graphs TLA+'s tutorials draw for a bounded queue: each state is
a small node labelled with its number (s0 is the start, then in the order the search
reached them, the same in both drawings) over how full each primitive is (in the order
the title lists them); every move is an arrow labelled with the actor's code. Marks (and
their colours, Okabe and Ito's as lessons/views/palette.py names them; the explorer sits
below the views, so the values are repeated here and a test keeps them equal):
- the start: a thick black circle;
- a state where a deadlock formed: an octagon, vermilion outline, light vermilion fill;
- a state where nothing can move and nothing is wrong (every request served): a double
  circle, bluish green;
- a state the search reached but did not go on from (deeper than the deadlock it had
  found): a dotted circle;
- a plain circle with no arrow out: all its moves were asleep (they only reorder moves
  explored from a sibling: sleep sets);
- the shortest schedule to a deadlock: thick, dashed, blue arrows.
MARKS says each in words, for a legend. The title says how many states and moves the
reduction skipped: what a search without it reaches, to the same depth, minus what this
one explored.
"""
from lessons.primitives import rules

MAX_DRAWN_STATES = 2_000      # past a few hundred a drawing stops being readable anyway
FONT = "Helvetica,Arial,sans-serif"
PATH_ROW = 5                  # states per row when the shortest path is drawn alone
VERMILION, BLUISH_GREEN, BLUE, BLACK, GREY = "#D55E00", "#009E73", "#0072B2", "#000000", "#999999"
LIGHT_VERMILION, LIGHT_GREEN = "#F7D9C4", "#CCEBE3"      # palette.BUSY_FILL, FIXED_FILL
DEADLOCK = {"shape": "octagon", "style": "filled", "fillcolor": LIGHT_VERMILION,
            "color": VERMILION, "penwidth": "2.5"}
FINAL = {"shape": "doublecircle", "style": "filled", "fillcolor": LIGHT_GREEN,
         "color": BLUISH_GREEN}
STATE = {"shape": "circle", "style": "filled", "fillcolor": "white", "color": GREY}
START = {**STATE, "penwidth": "2.5", "color": BLACK}
UNEXPLORED = {**STATE, "style": "filled,dotted", "penwidth": "1.5"}
MOVE = {"color": GREY, "fontcolor": "#555555", "style": "solid"}
SHORTEST = {"color": BLUE, "fontcolor": BLUE, "style": "dashed", "penwidth": "2.5"}
COLOURS = (VERMILION, BLUISH_GREEN, BLUE, BLACK, GREY, LIGHT_VERMILION, LIGHT_GREEN)
# Every mark in words, in the order a legend lists them.
MARKS = (
    ("thick black circle", "the start (s0)"),
    ("octagon, vermilion", "a deadlock has formed in this state"),
    ("double circle, bluish green", "nothing can move and every request was served"),
    ("dotted circle", "reached, but not followed further: deeper than the deadlock "
                      "already found"),
    ("circle with no arrow out", "its moves only reorder moves explored from a sibling "
                                 "state, so the search skipped them"),
    ("thick dashed blue arrows", "the shortest way to the deadlock"),
    ("sN over digits", "state number N, then how full each channel is"),
)


def draw(drawn, every, path_only=False):
    """A graphviz.Digraph of `drawn` (an Exploration made with record=True), with what
    `every` (the same search without reduction) shows the reduction skipped; with
    `path_only`, only the states and moves of the shortest schedule to a deadlock."""
    import graphviz
    search = drawn.recorded
    if len(search.reached) > MAX_DRAWN_STATES:
        raise ValueError(f"graph draws at most {MAX_DRAWN_STATES} states and this search "
                         f"reached {len(search.reached)}: shrink the configuration (smaller "
                         "capacities, fewer or smaller requests)")
    prims = search.successors.world.prims
    number = {key: str(n) for n, key in enumerate(search.reached)}
    shortest = list(_along(search, drawn.schedule_tokens()))
    on_path = {key for key, _ in shortest} | {_end(search, shortest)}
    g = graphviz.Digraph(graph_attr={"rankdir": "TB", "label": _title(drawn, every, prims),
                                     "labelloc": "t", "fontname": FONT, "fontsize": "13",
                                     "nodesep": "0.15", "ranksep": "0.3"},
                         node_attr={"fontname": FONT, "fontsize": "9", "width": "0.3",
                                    "margin": "0.02"},
                         edge_attr={"fontname": FONT, "fontsize": "8", "arrowsize": "0.5"})
    for n, (key, state) in enumerate(search.reached.items()):
        if path_only and key not in on_path:
            continue
        g.node(number[key], f"s{n}\n{_label(state, prims)}", tooltip=_tooltip(state, prims),
               **_look(search, key, state, n))
    line = shortest if path_only else _one_line(search)
    if line is not None:
        _snake(g, line, [number[key] for key, _ in line] + [number[_end(search, line)]],
               SHORTEST if path_only or drawn.verdict == "deadlock" else MOVE)
        return g
    for tail, word, head in search.moves:
        g.edge(number[tail], number[head], label=word,
               **(SHORTEST if (tail, word) in shortest else MOVE))
    return g


def _one_line(search):
    """The moves of a space that is one line from the start (each state one move out,
    the last none), as (state, move) pairs; None for any other space."""
    out = {}
    for tail, word, head in search.moves:
        out.setdefault(tail, []).append((word, head))
    if len(search.moves) != len(search.reached) - 1 or any(len(o) > 1 for o in out.values()):
        return None
    key, line = next(iter(search.reached)), []
    while key in out:
        word, head = out[key][0]
        line.append((key, word))
        key = head
    return line if len(line) == len(search.moves) else None


def _snake(g, shortest, path, look):
    """Lay a path (the shortest, or a space that is one line) out in rows of PATH_ROW states, the first read left to right,
    the next right to left under its end, and so on, so a whole schedule fits a
    notebook's width and a screen's height."""
    g.attr(newrank="true", ranksep="0.35")
    for start in range(0, len(path), PATH_ROW):
        with g.subgraph() as row:
            row.attr(rank="same")
            for node in path[start:start + PATH_ROW]:
                row.node(node)
    for j, (_, word) in enumerate(shortest):
        leftwards = j // PATH_ROW == (j + 1) // PATH_ROW and (j // PATH_ROW) % 2
        if leftwards:      # laid out head first, drawn with its arrow at the head
            g.edge(path[j + 1], path[j], label=word, dir="back", **look)
        else:
            g.edge(path[j], path[j + 1], label=word, **look)


def _look(search, key, state, n):
    visit = search.seen.get(key)
    return (DEADLOCK if state.deadlock is not None else START if n == 0
            else FINAL if not state.offer
            else UNEXPLORED if visit is not None and not visit.expanded else STATE)


def _end(search, shortest):
    """The state the shortest schedule ends in (the start when there is none)."""
    if not shortest:
        return next(iter(search.reached))
    step = {(tail, word): head for tail, word, head in search.moves}
    return step[shortest[-1]]


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
