"""The Go program against the model, configuration by configuration.

For each configuration, the Go program runs once and the sim runs with SEEDS seeds: the
configuration agrees when the Go program's outcome is one the model reaches. The sim's
seeds choose among the schedules the model allows; the Go program runs the one schedule
the machine's timing gives it.

Two scripts, the story's requests in two timings:
    story     ["get N", "ping"]: the ping right after the get, while the answer streams
    settled   ["get N", "ping @ 0.525"]: the ping after the engine and the client have
              settled (between a slow client's reads, 50 ms apart, so that real timing
              and virtual time agree on how many reads came before it)
In the story's timing the model lets the ping overtake the engine at any point of its
answer; the real C engine writes an item in microseconds and a ping takes a gRPC round
trip, so the Go program meets only some of those schedules, and where the sim's seeds
always chose the others the two can differ.
"""
from collections import Counter
from dataclasses import dataclass, field

from lessons.story.scenario import Scenario, run

SEEDS = 16
SCRIPTS = {"story": ("get {n}", "ping"), "settled": ("get {n}", "ping @ 0.525")}


@dataclass
class Row:
    design: str
    client: str
    channel_capacity: int
    request_size: int
    script: str
    go: str
    model: dict                              # outcome -> seeds that reached it
    go_evidence: dict = field(default_factory=dict)    # kept only where they differ
    model_evidence: dict = field(default_factory=dict)

    @property
    def agrees(self):
        return self.go in self.model

    def cells(self):
        model = ", ".join(f"{k} {v}" for k, v in sorted(self.model.items()))
        return [self.design, self.client, str(self.channel_capacity), str(self.request_size),
                self.script, self.go, model, "yes" if self.agrees else "NO"]


def sizes(capacity, stream_window=2):
    """Request sizes on both sides of the model's thresholds: the answer fits in
    notifications; one more; it fits in notifications, the stream and shim.main's hand;
    one more; and well beyond."""
    fits = capacity + stream_window + 1
    return sorted({capacity, capacity + 1, fits, fits + 1, 2 * fits + 4})


def grid(capacities=range(1, 9), clients=("fast", "slow", "stalled"), scripts=("story",),
         designs=("single", "split")):
    for design in designs:
        for client in clients:
            for capacity in capacities:
                for n in sizes(capacity):
                    for script in scripts:
                        yield dict(design=design, client=client, channel_capacity=capacity,
                                   request_size=n, script=script)


def scenario(config, runtime, **more):
    requests = [r.format(n=config["request_size"]) for r in SCRIPTS[config["script"]]]
    knobs = {k: v for k, v in config.items() if k != "script"}
    return Scenario(runtime=runtime, requests=requests, **knobs, **more)


def compare(config):
    """One configuration: the Go program once, the sim over SEEDS seeds."""
    # The story's hour: the timer never ends a run first, and a deadlock's run ends at
    # its verdict (runtime go does not wait an hour: it sends SIGQUIT).
    go = run(scenario(config, "go", timeout=3600.0))
    sims = [run(scenario(config, "sim", seed=s)) for s in range(SEEDS)]
    row = Row(**config, go=go.outcome, model=dict(Counter(r.outcome for r in sims)))
    if not row.agrees:
        row.go_evidence = go.to_dict()
        row.model_evidence = next(r for r in sims).to_dict()
    return row


HEADER = ["design", "client", "capacity", "size", "script", "Go", f"model ({SEEDS} seeds)", "agrees"]


def table(rows):
    """The rows as a plain text table."""
    lines = [HEADER] + [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
                     for line in lines)
