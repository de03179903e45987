"""What a run watched from outside its processes saw, as typed records: the evidence.

A processes run (story/processes/run.py) and a run of the Go program (story/original/)
write one `Evidence` each, field by field as they see things (at the verdict, at the
shim's exit, at the end); views, exercises and `describe` read it by attribute.

Each record is also a read-only mapping with the keys of its `to_dict()`, so that what
notebooks and learners' code read as a dict (`result.evidence["blocked"][0]["pipes"]`)
goes on working; `to_dict()` gives the JSON that `Result.to_dict()` carries. A field
marked `optional()` is left out while it is None (the run has not seen that yet); every
other field is always there, None included, as the dicts had it.
"""
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from lessons.analysis.waitfor import WaitFor

if TYPE_CHECKING:   # only its type: every run's Result holds an Evidence, on any system
    from .kernel import ThreadView


def optional(shown_with: str | None = None) -> Any:
    """A field left out of the mapping and the JSON while it is None, or (`shown_with`)
    shown exactly when that other field is."""
    return field(default=None, metadata={"optional": True, "shown_with": shown_with})


class Record(Mapping):
    """A frozen dataclass that reads as the dict `to_dict()` gives (records inside as records)."""

    def _shown(self) -> list[str]:
        shown: list[str] = []
        for f in fields(self):   # type: ignore[arg-type]   # every Record is a dataclass
            partner = f.metadata.get("shown_with")
            if partner is not None:
                if partner in shown:
                    shown.append(f.name)
            elif not f.metadata.get("optional") or getattr(self, f.name) is not None:
                shown.append(f.name)
        return shown

    def __getitem__(self, key: str) -> Any:
        if key not in self._shown():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._shown())

    def __len__(self) -> int:
        return len(self._shown())

    def to_dict(self) -> dict:
        """Plain values, JSON-ready."""
        return {name: plain(getattr(self, name)) for name in self._shown()}


def plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, WaitFor):
        return {"t": round(value.t, 6), "nodes": [asdict(n) for n in value.nodes.values()],
                "edges": [e._asdict() for e in value.edges]}
    if hasattr(value, "_asdict"):      # a namedtuple: the kernel's ThreadView
        return value._asdict()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, eq=False)
class Pipe(Record):
    """The pipe behind an fd: how full it is, who holds each end ("shim fd 9")."""
    channel: str
    fd: int
    inode: int | None
    depth: int | None
    capacity: int | None
    read_end: list[str]
    write_end: list[str]


@dataclass(frozen=True, eq=False)
class Kernel(Record):
    """What the kernel says a blocked actor's thread is doing."""
    comm: str
    state: str
    wchan: str
    syscall: str | None


@dataclass(frozen=True, eq=False)
class Thread(Record):
    """One thread of a process, as the kernel sees it."""
    tid: int
    comm: str
    state: str
    wchan: str
    syscall: str | None


@dataclass(frozen=True, eq=False)
class Blocked(Record):
    """One blocked actor: what it published on the board, what the kernel says, its pipes."""
    actor: str
    process: str          # the role of its process ("engine", "shim", "caller")
    pid: int
    tid: int
    waits: str            # "send notifications", "recv a or send b"
    timer: bool
    blocked_for: float
    kernel: Kernel | None         # None: its thread was gone
    pipes: list[Pipe] | None = optional()   # left out when its thread was gone


@dataclass(frozen=True, eq=False)
class Stacks(Record):
    """A process's thread stacks, and the tool that dumped them."""
    tool: str | None
    why_not_py_spy: str | None
    text: str


@dataclass(frozen=True, eq=False)
class Process(Record):
    """One of the run's processes at the verdict: its threads and their stacks."""
    pid: int
    threads: list[Thread]
    stacks: Stacks


@dataclass(frozen=True, eq=False)
class ShimExit(Record):
    """The shim's exit on its timer: status, the story's message, all it printed."""
    status: int | None
    message: str
    stderr: str


@dataclass(frozen=True, eq=False)
class Ended(Record):
    """How the Go program ended when asked for its stacks (SIGQUIT), and all it printed."""
    status: int | None
    stderr: str


@dataclass(frozen=True, eq=False)
class GoProcess(Record):
    """The Go program's process at the end."""
    pid: int
    status: int | None


@dataclass(frozen=True, eq=False)
class Watching(Record):
    """How the watching of a processes run went (runtime/linux/watch.py)."""
    looks: int
    look_seconds: float
    confirmed_at: float | None
    confirmations_needed: int
    last_kernel_objection: str | None


@dataclass(frozen=True, eq=False)
class ClientSide(Record):
    """The client's own side: when it sent each request, how its call failed (if it did)."""
    sent_at: list[float]
    call_failed: str | None


@dataclass(frozen=True, eq=False)
class Evidence(Record):
    """Everything seen of a run watched from outside its processes. Empty (and falsy) for
    a run in this process. The keys, in their order, are those the dicts had."""
    # a processes run, at its verdict (evidence.gather)
    processes: dict[str, Process] | None = optional()
    blocked: list[Blocked] | None = optional()
    pipes: list[Pipe] | None = optional()        # the pipes between the processes
    # the Go program, at its verdict: its look, the goroutines read from it, the engine's C thread
    look: str | None = optional()
    goroutines: str | None = optional()
    depths: dict[str, list[int]] | None = optional()
    engine_thread: "ThreadView | None" = optional(shown_with="look")
    graph: WaitFor | None = optional()           # the wait-for graph the verdict was read from
    sigquit: Ended | None = optional()
    shim_exit: ShimExit | None = optional()
    process: GoProcess | None = optional()
    watch: Watching | None = optional()
    refused: list[str] | None = optional()        # the calls the shim turned away
    client: ClientSide | None = optional()
