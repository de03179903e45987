"""The timeline of a run: one lane per actor, channel depths beneath, the key moments marked.

Lanes show when each actor was blocked (coloured by the channel it waited on), asleep
or idle; markers show each request, the moment the deadlock formed and the shim's exit.

Time axis: a threads run is drawn on the real clock. A sim run does most of its work at
the same virtual instants, so it is drawn event by event (the times are written under
the ticks). Either way a long quiet gap, such as the shim's one-hour timer, is cut out
and marked, so the hour does not squash the rest of the picture into a line.

    timeline(run(Scenario(seed=3)))     # a Result, or a LiveRun / Stepper
"""
from .figure import figure

ORDER = ("client.send", "client.recv", "shim.requests", "shim.main", "engine")
CHANNEL_COLORS = {"requests": "#1f77b4", "handoff": "#9467bd", "c_buffer": "#8c564b",
                  "replies": "#e377c2", "notifications": "#d62728", "stream": "#17becf",
                  "clicks": "#bcbd22"}
LONG_GAP = 5.0       # seconds: a quiet gap longer than this is cut out of the axis
BREAK = 3.0          # how wide a cut gap is drawn, in event steps
MARKS = {"deadlock": ("#d62728", "deadlock forms"), "exit": ("black", "shim exits"),
         "stall": ("#ff7f0e", "stall")}


def timeline(source, by=None):
    """A matplotlib Figure of a run; `by`: "time" or "events" (default: by runtime)."""
    result = source if hasattr(source, "trace") else source.result()
    events = result.trace
    by = by or ("time" if result.scenario.runtime == "threads" else "events")
    xs, cuts = positions([e.t for e in events], by)
    actors = [a for a in ORDER if any(e.actor == a for e in events)]
    actors += sorted({e.actor for e in events} - set(actors))
    end = (xs[-1] if xs else 0) * 1.02 + (1 if by == "events" else 0.01)

    fig = figure((11, 5.6))
    lanes, depths = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    fig.suptitle(f"{result.scenario.design_name} design, {result.scenario.client} client, "
                 f"{result.scenario.runtime}: {result.outcome.upper()}", fontsize=12)
    draw_lanes(lanes, events, xs, actors, end)
    draw_depths(depths, events, xs, result.channels, end)
    for ax in (lanes, depths):
        for i, e in enumerate(events):
            if e.op in MARKS:
                color, _ = MARKS[e.op]
                ax.axvline(xs[i], color=color, lw=1.6, ls="-" if e.op != "stall" else "--")
        for x, gap in cuts:
            ax.axvspan(x - BREAK * 0.8, x - BREAK * 0.2, color="white", hatch="//",
                       ec="grey", lw=0, zorder=3)
    marked = [(i, e) for i, e in enumerate(events) if e.op in MARKS]
    for n, (i, e) in enumerate(marked):
        color, text = MARKS[e.op]
        lanes.annotate(f"{text} (t={e.t:.3f} s)", (xs[i], len(actors) - 0.4), color=color,
                       fontsize=8, ha="left", va="bottom", xytext=(3, 11 * (n % 2)),
                       textcoords="offset points", annotation_clip=False)
    for x, gap in cuts:
        lanes.text(x - BREAK / 2, -0.9, f"{gap:,.0f} s\nlater", ha="center", va="top",
                   fontsize=7, color="dimgrey")
    label_ticks(depths, events, xs, by)
    fig.tight_layout()
    return fig


def positions(times, by):
    """x for each event: event order or real time, with long quiet gaps cut to BREAK."""
    xs, cuts = [], []
    for i, t in enumerate(times):
        if i == 0:
            xs.append(0.0)
            continue
        gap = t - times[i - 1]
        if gap > LONG_GAP:
            xs.append(xs[-1] + BREAK)
            cuts.append((xs[-1], gap))
        else:
            xs.append(xs[-1] + (1.0 if by == "events" else gap))
    if by == "time":
        # Cuts were BREAK wide in seconds; scale them to the run so they stay visible.
        span = max(xs[-1] if xs else 0, 1e-9)
        scale = max(0.05 * span / BREAK, 1e-3) if cuts else 1.0
        return _rescale_cuts(times, xs, cuts, scale)
    return xs, cuts


def _rescale_cuts(times, xs, cuts, scale):
    if not cuts or scale == 1.0:
        return xs, cuts
    out, new_cuts, shift = [], [], 0.0
    cut_at = {x for x, _ in cuts}
    for i, x in enumerate(xs):
        if x in cut_at:
            shift += BREAK * (1 - scale)
            new_cuts.append((x - shift, times[i] - times[i - 1]))
        out.append(x - shift)
    return out, new_cuts


def draw_lanes(ax, events, xs, actors, end):
    """Blocked (by channel colour), sleeping (light) and idle (grey) spans per actor."""
    row = {a: len(actors) - 1 - i for i, a in enumerate(actors)}
    open_span = {}
    for i, e in enumerate(events):
        if e.actor not in row or e.op in ("deadlock", "stall"):
            continue   # a verdict noted by this actor: its state did not change
        was = open_span.get(e.actor)
        if e.op == "block" and was is not None and was[1] == "block":
            continue   # still blocked: a re-check after a wake-up
        if was is not None:
            _span(ax, row[e.actor], was, xs[i])
            del open_span[e.actor]
        if e.op in ("block", "sleep", "idle"):
            open_span[e.actor] = (xs[i], e.op, (e.chan or "").split("|")[0])
        if e.op in ("exit", "crash"):
            ax.plot(xs[i], row[e.actor], marker="X", ms=12, color="black", zorder=4)
    for actor, span in open_span.items():
        _span(ax, row[actor], span, end)
    for actor, r in row.items():
        ax.axhline(r, color="#2ca02c", lw=0.8, zorder=0)   # the lane itself: running
    for i, e in enumerate(events):
        if e.actor == "client.send" and e.op == "send" and e.chan == "requests":
            ax.plot(xs[i], row[e.actor] + 0.32, marker="v", color="#1f77b4", ms=8)
            ax.annotate(str(e.item).split(" ", 1)[-1], (xs[i], row[e.actor] + 0.4),
                        fontsize=7, color="#1f77b4", xytext=(4, 0), textcoords="offset points")
    ax.set_yticks(list(row.values()), list(row.keys()))
    ax.set_ylim(-0.7, len(actors) - 0.1)
    handles = [ax.barh(0, 0, color=c, label=f"waits on {n}") for n, c in CHANNEL_COLORS.items()
               if any(e.op == "block" and (e.chan or "").split("|")[0] == n for e in events)]
    handles.append(ax.barh(0, 0, color="#dddddd", label="asleep / idle"))
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _span(ax, r, span, x_end):
    x0, op, chan = span
    width = max(x_end - x0, 0.15)
    if op == "block":
        ax.broken_barh([(x0, width)], (r - 0.28, 0.56), color=CHANNEL_COLORS.get(chan, "grey"))
    else:
        ax.broken_barh([(x0, width)], (r - 0.18, 0.36), color="#dddddd",
                       hatch=".." if op == "idle" else None)


def draw_depths(ax, events, xs, capacities, end):
    """Each channel's depth after every send and receive, as a step line."""
    for name, capacity in capacities.items():
        pts = [(0.0, 0)] + [(xs[i], e.depth) for i, e in enumerate(events)
                            if e.chan == name and e.op in ("send", "recv")]
        pts.append((end, pts[-1][1]))
        ax.step([p[0] for p in pts], [p[1] for p in pts], where="post", lw=1.5,
                color=CHANNEL_COLORS.get(name, "grey"), label=f"{name} (capacity {capacity})")
    ax.set_ylabel("items waiting")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_ylim(bottom=0)


def label_ticks(ax, events, xs, by):
    """Ticks at a handful of events, labelled with their (real or virtual) time."""
    if not events:
        return
    if by == "time":
        ax.set_xlabel("time (s)")
        return
    step = max(1, len(events) // 8)
    picks = sorted(set(range(0, len(events), step)) | {len(events) - 1})
    ax.set_xticks([xs[i] for i in picks], [f"#{i}\n{events[i].t:g} s" for i in picks],
                  fontsize=7)
    ax.set_xlabel("events in order (event number, virtual time)")
