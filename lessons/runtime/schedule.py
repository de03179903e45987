"""Schedule strings and the policies that pick the next move in the sim runtime.

A schedule string lists moves (moves.py says what a move is) by the actors' short codes,
separated by spaces, with `/k` when a select case must be named and `*n` for n repeats:

    "S S R M/1 E*4 C"

Given back to a run (`schedule=`), it replays every choice exactly; where it ends, the
run goes on with the seeded random policy. A schedule names at most MAX_MOVES moves (the
sim's own step bound: no run makes more), checked before any `*n` is expanded; a run that
ends with moves of its schedule left over fails with the ValueError that `leftover` words.
"""
import random
import re

from .moves import token

TOKEN = re.compile(r"^(?P<who>[^\s/*]+)(?:/(?P<case>[0-9]+))?(?:\*(?P<times>[0-9]+))?$")
MAX_MOVES = 200_000   # the sim's step bound (sim.py), hence the longest schedule a run can use


def format_schedule(tokens):
    """Join tokens, folding runs of the same token into `T*n`."""
    out, i = [], 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j] == tokens[i]:
            j += 1
        out.append(tokens[i] if j - i == 1 else f"{tokens[i]}*{j - i}")
        i = j
    return " ".join(out)


def parse_schedule(text, max_moves=MAX_MOVES):
    """The tokens of a schedule string, runs expanded; ValueError on a malformed one, or on
    one that names more than `max_moves` moves (counted before anything is expanded)."""
    if not isinstance(text, str):
        raise ValueError(f"schedule must be a string of moves such as 'S R M E', got {text!r}")
    runs, total = [], 0
    for word in text.replace(",", " ").split():
        m = TOKEN.match(word)
        if not m:
            raise ValueError(f"schedule: {word!r} is not a move; write an actor code, "
                             "optionally /case and *repeats, e.g. 'M/1' or 'E*4'")
        times = int(m["times"] or 1)
        if times < 1:
            raise ValueError(f"schedule: {word!r} repeats a move 0 times; write *n with n >= 1")
        total += times
        if total > max_moves:
            raise ValueError(f"schedule: {word!r} makes it {total:,} moves; a run makes "
                             f"at most {max_moves:,}")
        runs.append((m["who"] if m["case"] is None else f"{m['who']}/{m['case']}", times))
    return [move for move, times in runs for _ in range(times)]


def describe_moves(moves):
    return ", ".join(token(m) for m in moves) or "none"


class RandomPolicy:
    """Pick uniformly among the moves on offer, from a seeded generator."""
    name = "random"

    def __init__(self, seed=0):
        self.rng = random.Random(seed)

    def choose(self, moves, rt):
        return moves[0] if len(moves) == 1 else moves[self.rng.randrange(len(moves))]


class RoundRobinPolicy:
    """Take actors in turn (spawn order), each taking its select cases in turn."""
    name = "round-robin"

    def __init__(self):
        self.last = None
        self.turns = {}

    def choose(self, moves, rt):
        order = list(rt.actors)
        start = order.index(self.last) + 1 if self.last in order else 0
        names = {m[0].name for m in moves}
        actor = next(order[(start + i) % len(order)] for i in range(len(order))
                     if order[(start + i) % len(order)] in names)
        mine = [m for m in moves if m[0].name == actor]
        turn = self.turns.get(actor, 0)
        self.turns[actor] = turn + 1
        self.last = actor
        return mine[turn % len(mine)]


class SchedulePolicy:
    """Follow a schedule string move by move, then hand over to `then` (None: ask)."""
    name = "schedule"

    def __init__(self, text, then=None, max_moves=MAX_MOVES):
        self.tokens = parse_schedule(text, max_moves)
        self.position = 0
        self.then = then

    def leftover(self, moves_made):
        """The ValueError for a run that ended with moves of this schedule unmade, or None."""
        left = len(self.tokens) - self.position
        if not left:
            return None
        return ValueError(f"schedule: the run ended after {moves_made} moves with {left} "
                          f"of the schedule's moves left over (from step {self.position + 1}: "
                          f"{format_schedule(self.tokens[self.position:self.position + 8])}"
                          f"{' ...' if left > 8 else ''}); give at most the run's moves")

    def choose(self, moves, rt):
        if self.position >= len(self.tokens):
            return self.then.choose(moves, rt) if self.then else None
        word = self.tokens[self.position]
        who, _, case = word.partition("/")
        mine = [m for m in moves if who in (m[0].code, m[0].name)]
        if case:
            mine = [m for m in mine if m[1] == int(case)]
        step = self.position + 1
        if not any(who in (a.code, a.name) for a in rt.actors.values()):
            actors = ", ".join(f"{a.code} ({a.name})" if a.code != a.name else a.name
                               for a in rt.actors.values())
            raise ValueError(f"schedule step {step}: {word!r} cannot move now: this run has "
                             f"no actor {who!r}; its actors: {actors}")
        if not mine:
            raise ValueError(f"schedule step {step}: {word!r} cannot move now; "
                             f"moves on offer: {describe_moves(moves)}")
        if len(mine) > 1:
            raise ValueError(f"schedule step {step}: {word!r} could take "
                             f"{describe_moves(mine)}; say which")
        self.position += 1
        return mine[0]


class AskPolicy:
    """Never choose: the run pauses and waits for someone outside (step mode)."""
    name = "step"

    def choose(self, moves, rt):
        return None


class FunctionPolicy:
    """An external chooser: a function (moves, runtime) -> move."""
    name = "chooser"

    def __init__(self, fn):
        self.fn = fn

    def choose(self, moves, rt):
        return self.fn(moves, rt)


POLICIES = ("random", "round-robin", "step")


def make_policy(policy="random", seed=0, schedule=None, max_moves=MAX_MOVES):
    """A policy by name; a schedule string always wins and then continues as `policy`."""
    if callable(policy) and not isinstance(policy, str):
        base = FunctionPolicy(policy)
    elif policy == "random":
        base = RandomPolicy(seed)
    elif policy == "round-robin":
        base = RoundRobinPolicy()
    elif policy == "step":
        base = None
    else:
        raise ValueError(f"policy must be one of {', '.join(POLICIES)}, "
                         f"or a function; got {policy!r}")
    if schedule is not None:
        return SchedulePolicy(schedule, base, max_moves)
    return base or AskPolicy()
