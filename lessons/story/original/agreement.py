"""The Go program against the model, configuration by configuration.

For each configuration, the Go program runs once and the sim runs with SEEDS seeds: the
configuration agrees when the Go program's outcome is one the model reaches. The sim's
seeds choose among the schedules the model allows; the Go program runs the one schedule
the machine's timing gives it.

Two scripts, the story's requests in two timings:
    story     ["get N", "ping"]: the ping right after the get, while the answer streams.
              The real C engine writes an item in microseconds and the ping takes a gRPC
              round trip, so the Go program mostly meets the schedules where the engine
              has run ahead; the sim's random scheduler picks those rarely (a few in a
              hundred near a threshold), hence many seeds.
    settled   ["get N", "ping @ 0.135"]: the ping after the engine has done what it can,
              between a slow client's third and fourth read (50 ms apart, so that real
              time and virtual time agree on how many reads came first, with 15 ms to
              spare on either side).
"""
from collections import Counter
from dataclasses import dataclass, field

from lessons.story.scenario import Scenario, run

SEEDS = 256
# Each script's requests, and how many items a slow client has read before its ping
# (where the thresholds move to).
SCRIPTS = {"story": (("get {n}", "ping"), 0), "settled": (("get {n}", "ping @ 0.135"), 3)}


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


def sizes(capacity, read=0, stream_window=2):
    """Request sizes on both sides of the model's thresholds, beyond the items a slow
    client has `read` before the ping: the answer fits in notifications; one more; it fits
    in notifications, the stream and shim.main's hand; one more; and well beyond."""
    fits = capacity + stream_window + 1
    return sorted({read + n for n in (capacity, capacity + 1, fits, fits + 1, 2 * fits + 4)})


def grid(capacities=range(1, 9), clients=("fast", "slow", "stalled"), scripts=("story",),
         designs=("single", "split")):
    for design in designs:
        for client in clients:
            for capacity in capacities:
                for script in scripts:
                    for n in sizes(capacity, SCRIPTS[script][1]):
                        yield dict(design=design, client=client, channel_capacity=capacity,
                                   request_size=n, script=script)


def scenario(config, runtime, **more):
    requests = [r.format(n=config["request_size"]) for r in SCRIPTS[config["script"]][0]]
    knobs = {k: v for k, v in config.items() if k != "script"}
    return Scenario(runtime=runtime, requests=requests, **knobs, **more)


def compare(config, seeds=SEEDS):
    """One configuration: the Go program once, the sim over `seeds` seeds."""
    # The story's hour: the timer never ends a run first, and a deadlock's run ends at
    # its verdict (runtime go does not wait an hour: it sends SIGQUIT).
    go = run(scenario(config, "go", timeout=3600.0))
    sims = [run(scenario(config, "sim", seed=s)) for s in range(seeds)]
    row = Row(**config, go=go.outcome, model=dict(Counter(r.outcome for r in sims)))
    if not row.agrees:
        row.go_evidence = go.to_dict()
        row.model_evidence = sims[0].to_dict()
    return row


HEADER = ["design", "client", "capacity", "size", "script", "Go", f"model ({SEEDS} seeds)", "agrees"]


def table(rows):
    """The rows as a plain text table."""
    lines = [HEADER] + [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
                     for line in lines)
