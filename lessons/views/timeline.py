"""The timeline of a run: one lane per actor, channel depths beneath, the key moments marked.

Lanes show when each actor was blocked, asleep or idle. A blocked span has the colour of
the channel it waited on, that channel's name written on it when it fits, and a pattern
that says why: hatched, it waits to SEND (the buffer is full); plain, it waits to
RECEIVE (no work has come). Markers show each request (with its time), the moment the
deadlock formed and the shim's exit.

Time axis, in seconds: the ticks are the times of the run (real in threads, virtual in
sim). Events that happen at the same instant (a sim run does much of its work at one
virtual instant) are drawn side by side in order, so none hides another; a long quiet
gap, such as the shim's one-hour timer, is cut out and says how long it was.

    timeline(run(Scenario(seed=3)))     # a Result, or a LiveRun / Stepper
"""
import math

from lessons.analysis.waitfor import Verdict, describe
from .figure import figure
from .palette import BLACK, CHANNELS, CHAIN, CYCLE, LIGHT_GREY, SEND_HATCH, TEXT

ORDER = ("client.send", "client.recv", "shim.requests", "shim.main", "engine")
LONG_GAP = 5.0       # seconds: a quiet gap longer than this is cut out of the axis
TIE_SHARE = 0.5      # events at one instant take at most this share of the real time drawn
CUT_SHARE = 0.06     # a cut gap is drawn this share of the axis wide
RIGHT_EDGE = 0.85    # of the time axis: a request label past it is written leftwards
# The key moments: colour, line style (the non-colour channel) and words.
MARKS = {"deadlock": (CYCLE, "-", "deadlock forms"), "exit": (BLACK, "-.", "shim exits"),
         "stall": (CHAIN, "--", "stall")}
# Each channel's depth line has its own dash pattern as well as its colour.
DASHES = ["-", "--", ":", "-.", (0, (6, 2, 1, 2, 1, 2)), (0, (1, 1)), (0, (8, 3))]
FONT = 9             # points: 12.5 px at the figures' 100 px per inch


def timeline(source):
    """A matplotlib Figure of a run (a Result, or anything with .result())."""
    result = source if hasattr(source, "trace") else source.result()
    events = result.trace
    xs, cuts, cut = positions([e.t for e in events])
    stamp = stamper([e.t for e in events])
    actors = [a for a in ORDER if any(e.actor == a for e in events)]
    actors += sorted({e.actor for e in events} - set(actors))
    end = (xs[-1] if xs else 0) + max(cut, 1e-3)

    fig = figure((9.5, 6.4), caption=caption(result))
    lanes, depths = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    sc = result.scenario
    fig.suptitle(f"{sc.design_name} design, {sc.client} client, {sc.runtime}: "
                 f"{result.outcome.upper()}", fontsize=12)
    draw_lanes(lanes, events, xs, actors, end, stamp)
    draw_depths(depths, events, xs, result.channels, end)
    draw_marks(lanes, depths, events, xs, cuts, cut, stamp)
    label_ticks(depths, events, xs, end, stamp)
    lanes.set_xlim(-0.01 * end, end)
    fig.tight_layout()
    return fig


def caption(result):
    """The run in one sentence: the verdict in words, and when."""
    head = f"{result.scenario.design_name} design, {result.scenario.client} client: " \
           f"{result.outcome}"
    if result.outcome == "deadlock":
        head += f" formed at t={result.deadlock_at:g} s; " + \
            describe(Verdict("deadlock", cycle=result.cycle)).split(": ", 1)[1]
    elif result.outcome == "stall":
        head += "; " + describe(Verdict("stall", chain=result.stall)).split(": ", 1)[1]
    if result.exit is not None:
        head += f"; {result.exit.actor} exited on its timer at t={result.exit.t:,g} s"
    return head + "."


def positions(times):
    """x for each event: seconds since the start, events at one instant side by side in
    order, and quiet gaps longer than LONG_GAP cut to a fixed width.

    Returns (xs, cuts, cut): cuts are (x where the gap ends, its length in seconds)."""
    gaps = [b - a for a, b in zip(times, times[1:])]
    real = sum(g for g in gaps if 0 < g <= LONG_GAP)
    ties = sum(1 for g in gaps if g == 0)
    tie = (real * TIE_SHARE / ties if real else 1.0) if ties else 0.0
    cut = max(real + ties * tie, 1e-3) * CUT_SHARE
    xs, cuts = [0.0] if times else [], []
    for g in gaps:
        if g > LONG_GAP:
            xs.append(xs[-1] + cut)
            cuts.append((xs[-1], g))
        else:
            xs.append(xs[-1] + (g if g > 0 else tie))
    return xs, cuts, cut


def stamper(times):
    """Writes a time with as many decimals as the run's quiet-free span needs."""
    span = sum(b - a for a, b in zip(times, times[1:]) if b - a <= LONG_GAP)
    decimals = min(max(2 - math.floor(math.log10(span)), 0), 6) if span > 0 else 0

    def stamp(t):
        text = f"{t:,.{decimals}f}"
        return (text.rstrip("0").rstrip(".") if "." in text else text) + " s"
    return stamp


def draw_lanes(ax, events, xs, actors, end, stamp):
    """Blocked (channel colour; hatched to send, plain to receive), asleep or idle spans."""
    row = {a: len(actors) - 1 - i for i, a in enumerate(actors)}
    open_span = {}
    for i, e in enumerate(events):
        if e.actor not in row or e.op in ("deadlock", "stall"):
            continue   # a verdict noted by this actor: its state did not change
        was = open_span.get(e.actor)
        if e.op == "block" and was is not None and was[1] == "block":
            continue   # still blocked: a re-check after a wake-up
        if was is not None:
            _span(ax, row[e.actor], was, xs[i], end)
            del open_span[e.actor]
        if e.op in ("block", "sleep", "idle"):
            why = str(e.item or "").split("|")[0] if e.op == "block" else e.op
            open_span[e.actor] = (xs[i], e.op, (e.chan or "").split("|")[0], why)
        if e.op in ("exit", "crash"):
            ax.plot(xs[i], row[e.actor], marker="X", ms=12, color=BLACK, zorder=4)
    for actor, span in open_span.items():
        _span(ax, row[actor], span, end, end)
    for r in row.values():
        ax.axhline(r, color=BLACK, lw=0.6, zorder=0)   # the lane itself: running
    _mark_requests(ax, events, xs, row, stamp, end)
    ax.set_yticks(list(row.values()), list(row.keys()), fontsize=FONT)
    ax.set_ylim(-0.7, len(actors) + 0.5)
    ax.legend(handles=_lane_legend(ax, events), fontsize=FONT, loc="upper center", ncol=5,
              bbox_to_anchor=(0.5, -0.04), frameon=False, handlelength=2.2)


def _span(ax, r, span, x_end, end):
    x0, op, chan, why = span
    width = max(x_end - x0, end * 0.003)
    if op != "block":
        ax.broken_barh([(x0, width)], (r - 0.15, 0.3), facecolor=LIGHT_GREY,
                       hatch=".." if op == "idle" else None, edgecolor="#777777", lw=0)
        return
    color = CHANNELS.get(chan, "grey")
    ax.broken_barh([(x0, width)], (r - 0.3, 0.6), facecolor=color, edgecolor=BLACK,
                   hatch=SEND_HATCH if why == "send" else None, lw=0.5)
    if width > end * 0.09:     # room for the channel's name
        ax.text(x0 + width / 2, r, f"{why} {chan}", ha="center", va="center",
                fontsize=FONT - 1, zorder=5,
                bbox=dict(fc="white", ec="none", pad=0.6, alpha=0.85))


def _mark_requests(ax, events, xs, row, stamp, end):
    """A triangle at each request the client sends, with what it is and when; labels
    of requests close together take turns on two lines, and a label near the right edge
    ends at its triangle, so the edge never cuts it."""
    sent = [i for i, e in enumerate(events)
            if e.actor == "client.send" and e.op == "send" and e.chan == "requests"]
    for n, i in enumerate(sent):
        e, y = events[i], row["client.send"] + 0.42
        what = str(getattr(e.item, "kind", e.item))
        ax.plot(xs[i], y, marker="v", color=BLACK, ms=7, zorder=5)
        near_edge = xs[i] > RIGHT_EDGE * end
        ax.annotate(f"{what} (t={stamp(e.t)})", (xs[i], y), fontsize=FONT - 1, va="bottom",
                    ha="right" if near_edge else "left",
                    xytext=(4 if near_edge else -4, 5 + 11 * (n % 2)), textcoords="offset points")


def _lane_legend(ax, events):
    """Pattern first (why it waits), then the colours of the channels waited on."""
    patch = ax.broken_barh   # cheap handles: empty bars carry the styles
    handles = [patch([], (0, 0), facecolor="white", edgecolor=BLACK, hatch=SEND_HATCH,
                     label="hatched: waits to SEND (buffer full)"),
               patch([], (0, 0), facecolor="white", edgecolor=BLACK,
                     label="plain: waits to RECEIVE (no work)"),
               patch([], (0, 0), facecolor=LIGHT_GREY, label="thin grey: asleep / idle")]
    used = {(e.chan or "").split("|")[0] for e in events if e.op == "block"}
    handles += [patch([], (0, 0), facecolor=c, edgecolor=BLACK, label=n)
                for n, c in CHANNELS.items() if n in used]
    return handles


def draw_depths(ax, events, xs, capacities, end):
    """Each channel's depth after every send and receive, as a step line."""
    for k, (name, capacity) in enumerate(capacities.items()):
        pts = [(0.0, 0)] + [(xs[i], e.depth) for i, e in enumerate(events)
                            if e.chan == name and e.op in ("send", "recv")]
        pts.append((end, pts[-1][1]))
        ax.step([p[0] for p in pts], [p[1] for p in pts], where="post", lw=2,
                ls=DASHES[k % len(DASHES)], color=CHANNELS.get(name, "grey"),
                label=f"{name} (capacity {capacity})")
    ax.set_ylabel("items waiting", fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    ax.legend(fontsize=FONT, loc="upper center", ncol=3, bbox_to_anchor=(0.5, -0.42),
              frameon=False, handlelength=3)
    ax.set_ylim(bottom=0)


def draw_marks(lanes, depths, events, xs, cuts, cut, stamp):
    """Lines at the key moments (labelled above the lanes) and the cut-out gaps."""
    marked = [(xs[i], e) for i, e in enumerate(events) if e.op in MARKS]
    for ax in (lanes, depths):
        for x, e in marked:
            color, style, _ = MARKS[e.op]
            ax.axvline(x, color=color, lw=1.8, ls=style, zorder=4)
        for x, _ in cuts:
            ax.axvspan(x - cut * 0.8, x - cut * 0.2, facecolor="white", hatch="//",
                       edgecolor="grey", lw=0, zorder=3)
    for n, (x, e) in enumerate(marked):
        color, _, text = MARKS[e.op]
        lanes.annotate(f"{text} (t={stamp(e.t)})", (x, 1.0), xycoords=("data", "axes fraction"),
                       color=TEXT.get(color, color), fontsize=FONT, ha="center", va="bottom",
                       xytext=(0, 2 + 13 * (n % 2)), textcoords="offset points",
                       annotation_clip=False)
    for x, gap in cuts:
        depths.text(x - cut / 2, 0.5, f"{gap:,.0f} s\nlater", ha="center", va="center",
                    transform=depths.get_xaxis_transform(), fontsize=FONT - 1, zorder=5,
                    bbox=dict(fc="white", ec="grey", pad=1.5))


def label_ticks(ax, events, xs, end, stamp):
    """Ticks at the start of instants, labelled with their time, never crowded."""
    if not events:
        return
    picks, last = [], None
    for i, e in enumerate(events):
        if (i == 0 or e.t != events[i - 1].t) and (last is None or xs[i] - last >= end / 9):
            picks.append(i)
            last = xs[i]
    ax.set_xticks([xs[i] for i in picks], [stamp(events[i].t) for i in picks],
                  fontsize=FONT)
    ax.set_xlabel("time (s); events at the same instant are drawn side by side, in order",
                  fontsize=FONT)
