"""A probe: one sim runtime parked at one state of a search, and what the search reads off it.

Actors are real threads, which cannot be copied, so a state is reached by replaying its
schedule prefix in a fresh runtime; the probe then makes one more move and reports what
that move did: the results the moved actor got back (the move's own result, and any
`*_nowait` operation it made while running on to its next wait) and the primitives it
touched. The search builds state identities and independence from those reports.

The probe watches the runtime through two instance-level wrappers (on `_commit`, which
performs every move, and on `now_or_never`, which performs every `*_nowait`), so the core
runs unchanged and a replay costs no more than a plain run.
"""
from .errors import WouldBlock
from .schedule import token


class Replay:
    """A policy that makes the given moves (by schedule token), then pauses to ask."""

    def __init__(self, tokens):
        self.tokens, self.position = tokens, 0

    def __call__(self, moves, rt):
        if self.position == len(self.tokens):
            return None
        word = self.tokens[self.position]
        self.position += 1
        for move in moves:
            if token(move) == word:
                return move
        raise ValueError(f"explore: replay step {self.position}: {word!r} is not on offer")


class Probe:
    """A fresh runtime from `build`, replayed along `path` and paused there."""

    def __init__(self, build, path):
        self.log = []   # (what, primitive index or None, result) since the last step
        self.rt = rt = build(Replay(path), None)
        rt.events = None   # the search never reads the trace; recording it costs time
        self.index = {id(p): i for i, p in enumerate(rt.prims)}
        commit, nowait = rt._commit, rt.now_or_never

        def logged_commit(move):
            actor = commit(move)
            self.log.append(("move", None, _result(actor.result)))
            return actor

        def logged_nowait(case):
            where = self.index.get(id(case[0]))
            try:
                value = nowait(case)
            except WouldBlock:
                self.log.append(("nowait", where, "would block"))
                raise
            self.log.append(("nowait", where, _hashable(value)))
            return value

        rt._commit, rt.now_or_never = logged_commit, logged_nowait
        rt.resume()

    def offer(self):
        """The schedule tokens of the moves on offer now, in the runtime's order."""
        return [token(m) for m in self.rt.offer()]

    def step(self, word):
        """Make the move named `word`; return (actor name, its results, primitives it read)."""
        rt = self.rt
        move = next(m for m in rt.offer() if token(m) == word)
        actor = move[0]
        # A select reads every one of its cases to see which are ready.
        read = {self.index[id(p)] for p, _, _ in actor.cases}
        self.log.clear()
        rt.step(move)
        read.update(where for _, where, _ in self.log if where is not None)
        return actor.name, tuple(result for _, _, result in self.log), read

    def contents(self):
        """Every primitive's contents, in creation order."""
        return tuple(_contents(p) for p in self.rt.prims)

    def actors(self, histories):
        """Each actor's state, pending cases, deadline, and its own history's id."""
        index = self.index
        return tuple((a.state, tuple((index[id(p)], op, _hashable(v)) for p, op, v in a.cases or ()),
                      a.deadline, h)
                     for a, h in zip(self.rt.actors.values(), histories))

    def stop(self):
        self.rt.stop()


def _contents(prim):
    """What a primitive holds: a channel's items and closed flag, a lock's owner, a
    semaphore's holders. An unknown kind of primitive is refused: its state would be
    missing from the identity, and pruning would no longer be sound."""
    if hasattr(prim, "items"):
        return _hashable(tuple(prim.items)), prim.closed
    if hasattr(prim, "holders"):
        return tuple(a.name for a in prim.holders)
    if hasattr(prim, "owner"):
        return prim.owner.name if prim.owner is not None else None
    raise TypeError(f"explore cannot read the state of {prim!r}")


def _result(result):
    """A move's result as a comparable value (an exception by its kind and message)."""
    if isinstance(result, BaseException):
        return type(result).__name__, str(result)
    return _hashable(result)


def _hashable(value):
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)
