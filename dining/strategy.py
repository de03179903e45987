"""What a strategy is: how a philosopher picks up and puts down forks; the rest is the
table's (table.py). Each strategy is one small module that builds one of these."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Strategy:
    """How a philosopher picks up and puts down forks; the rest is the table's."""
    name: str
    breaks: str             # the Coffman condition it breaks ("" for none)
    pick_up: object         # (table, i) -> None, returns holding both forks
    put_down: object        # (table, i) -> None
    setup: object = None    # (table) -> what the strategy keeps at the table (table.shared)
    sit: object = None      # (table, i): first thing a philosopher does (his starting forks)
    leave: object = None    # (table, i): last thing, after his last meal
    # A schedule search identifies states by forks, channels and each philosopher's own
    # history. A strategy whose philosophers are steered by the table's shared books (the
    # livelock count that makes everyone give up) escapes that identity: not searchable.
    searchable: bool = True
