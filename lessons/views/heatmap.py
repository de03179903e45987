"""The sweep drawn: where each design deadlocks, over channel capacity x request size.

    heat_map(sweep(seeds=range(3)))

One panel per design; each cell is the share of seeds that deadlocked, written in the
cell as a percentage (so it reads without colour) and shaded from white (never) to
vermillion (every seed). In the single design the deadlocking region only moves right as
the buffer grows; the split design is white.
"""
from matplotlib.colors import LinearSegmentedColormap

from .figure import MIN_FONT_PT, figure
from .palette import HEAT

SHADES = LinearSegmentedColormap.from_list("never-to-always", HEAT)
WIDEST_EM = 2.9     # "100%" in the default sans-serif, in ems (measured: 2.6; a margin)


def heat_map(result, outcome="deadlock"):
    """A matplotlib Figure of a lessons.sweep.Sweep."""
    designs = result.designs
    fig = figure((min(4.3 * len(designs) + 1, 9.5), 4.6), caption=caption(result, outcome))
    axes = fig.subplots(1, len(designs), squeeze=False)[0]
    for ax, design in zip(axes, designs):
        share = result.share(design, outcome)
        image = ax.imshow(share, cmap=SHADES, vmin=0, vmax=1, origin="lower", aspect="auto")
        for row, values in enumerate(share):
            for col, x in enumerate(values):
                ax.text(col, row, f"{x:.0%}", ha="center", va="center", fontsize=11,
                        color="white" if x > 0.6 else "black", gid="share")
        ax.set_xticks(range(len(result.sizes)), result.sizes, fontsize=9)
        ax.set_yticks(range(len(result.capacities)), result.capacities, fontsize=9)
        ax.set_xlabel("request size (items)", fontsize=9)
        ax.set_ylabel("channel capacity (notifications)", fontsize=9)
        clean = not any(x for values in share for x in values)
        ax.set_title(f"{design}: " + ("no deadlock anywhere" if clean else
                                      "a bigger buffer only moves the line"), fontsize=10)
    bar = fig.colorbar(image, ax=list(axes), shrink=0.85)
    bar.set_label(f"share of seeds ending in {outcome}", fontsize=9)
    bar.ax.tick_params(labelsize=9)
    fig.suptitle(f"{outcome} over channel capacity x request size "
                 f"({len(result.seeds)} seeds per cell, sim)", fontsize=11)
    fit_in_cells(fig, axes, len(result.sizes), len(result.capacities))
    return fig


def fit_in_cells(fig, axes, columns, rows):
    """Size the shares' text so that the widest, "100%", fits inside its cell with a
    margin (a label spilling into its neighbour reads as the neighbour's): measured on the
    laid-out figure, never below MIN_FONT_PT (the grid would have to shrink instead)."""
    fig.draw_without_rendering()              # lay the figure out, to measure the panels
    width_in, height_in = fig.get_size_inches()
    box = axes[0].get_position()
    cell_w, cell_h = box.width * width_in * 72 / columns, box.height * height_in * 72 / rows
    size = max(MIN_FONT_PT, min(11, cell_w * 0.8 / WIDEST_EM, cell_h * 0.6))
    for ax in axes:
        for text in ax.texts:
            if text.get_gid() == "share":
                text.set_fontsize(size)


def caption(result, outcome):
    """Each design's verdict in words: in how many cells any seed ended in `outcome`."""
    said = []
    for design in result.designs:
        share = result.share(design, outcome)
        hit = sum(1 for values in share for x in values if x)
        cells = sum(len(values) for values in share)
        said.append(f"{design}: {outcome} in {hit} of {cells} cells")
    return "; ".join(said) + f" ({len(result.seeds)} seeds per cell)."
