"""Sweep: the outcome over channel capacity x request size, for each shim design.

    s = sweep(seeds=range(3))
    s.share("single", "deadlock")   # rows: capacities, columns: request sizes
    print(s.table("single"))

It shows the two "fixes" that are not fixes: a bigger go channel buffer only moves the
request size at which the single design deadlocks, while the split design completes in
every cell. Each cell runs the sim once per seed (the story's scenario: a big get, then
a ping while the answer streams).
"""
from collections import Counter
from dataclasses import dataclass, field

from lessons.story.scenario import Scenario, run

# Every request size from 1 up, so that each row's first vermilion cell lands on its own
# threshold, capacity + 1 (a grid of powers of two would put it at 2 x capacity); few
# enough columns that each cell's percentage fits in it.
CAPACITIES = (1, 2, 3, 4, 5, 6)
SIZES = tuple(range(1, 9))


@dataclass
class Sweep:
    designs: tuple
    capacities: tuple
    sizes: tuple
    seeds: tuple
    cells: dict = field(default_factory=dict)   # (design, capacity, size) -> Counter of outcomes

    def share(self, design, outcome="deadlock"):
        """The fraction of seeds with `outcome`, one row per capacity, one column per size."""
        n = len(self.seeds)
        return [[self.cells[design, c, s][outcome] / n for s in self.sizes]
                for c in self.capacities]

    def threshold(self, design, capacity):
        """The smallest request size that deadlocked at this capacity (None: none did)."""
        return next((s for s in self.sizes if self.cells[design, capacity, s]["deadlock"]), None)

    def table(self, design, outcome="deadlock"):
        """The share as text: capacities down, request sizes across."""
        head = "capacity \\ size " + " ".join(f"{s:>5}" for s in self.sizes)
        rows = [f"{c:>15} " + " ".join(f"{x:>5.0%}" for x in row)
                for c, row in zip(self.capacities, self.share(design, outcome))]
        return "\n".join([f"{design}: share of seeds that end in {outcome}", head, *rows])


def sweep(designs=("single", "split"), capacities=CAPACITIES, sizes=SIZES, seeds=range(3),
          **knobs):
    """Run every cell (sim, each seed) and count outcomes; `knobs` fix the other knobs."""
    base = Scenario(runtime="sim", **knobs)
    result = Sweep(tuple(designs), tuple(capacities), tuple(sizes), tuple(seeds))
    for design in designs:
        for capacity in capacities:
            for size in sizes:
                result.cells[design, capacity, size] = Counter(
                    run(base.with_(design=design, channel_capacity=capacity, request_size=size,
                                   seed=seed)).outcome
                    for seed in seeds)
    return result
