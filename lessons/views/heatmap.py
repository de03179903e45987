"""The sweep drawn: where each design deadlocks, over channel capacity x request size.

    heat_map(sweep(seeds=range(3)))

One panel per design; each cell is the share of seeds that deadlocked. In the single
design the red region only moves right as the buffer grows; the split design is white.
"""
from .figure import figure


def heat_map(result, outcome="deadlock"):
    """A matplotlib Figure of a lessons.sweep.Sweep."""
    designs = result.designs
    fig = figure((4.6 * len(designs) + 1, 4.4))
    axes = fig.subplots(1, len(designs), squeeze=False)[0]
    for ax, design in zip(axes, designs):
        share = result.share(design, outcome)
        image = ax.imshow(share, cmap="Reds", vmin=0, vmax=1, origin="lower", aspect="auto")
        for row, values in enumerate(share):
            for col, x in enumerate(values):
                ax.text(col, row, f"{x:.0%}", ha="center", va="center", fontsize=8,
                        color="white" if x > 0.6 else "black")
        ax.set_xticks(range(len(result.sizes)), result.sizes)
        ax.set_yticks(range(len(result.capacities)), result.capacities)
        ax.set_xlabel("request size (items)")
        ax.set_ylabel("channel capacity (notifications)")
        clean = not any(x for values in share for x in values)
        ax.set_title(f"{design}: " + ("no deadlock anywhere" if clean else
                                      "a bigger buffer only moves the line"), fontsize=10)
    fig.colorbar(image, ax=list(axes), label=f"share of seeds ending in {outcome}",
                 shrink=0.85)
    fig.suptitle(f"{outcome} over channel capacity x request size "
                 f"({len(result.seeds)} seeds per cell, sim)", fontsize=11)
    return fig
