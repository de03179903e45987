"""A read lock taken twice while a writer waits (CockroachDB)."""
from .case import Case


def buggy(rt):
    mu = rt.rwlock("mu")

    def scanner():              # takes the read lock, then calls a helper that takes it again
        with mu.reading():
            raft_status(mu)

    def writer():
        with mu.writing():
            pass
    rt.spawn("scanner", scanner)
    rt.spawn("writer", writer)


def raft_status(mu):
    with mu.reading():          # a second read lock: waits behind a writer that waits
        pass


def fixed(rt):
    mu = rt.rwlock("mu")

    def scanner():
        with mu.reading():
            raft_status_locked()

    def writer():
        with mu.writing():
            pass
    rt.spawn("scanner", scanner)
    rt.spawn("writer", writer)


def raft_status_locked():
    """The helper for callers that already hold the read lock: it takes none."""


CASE = Case(
    name="read-lock-twice", title="a read lock taken twice while a writer waits",
    project="CockroachDB", link="https://github.com/cockroachdb/cockroach/pull/3710",
    incident=(
        "In CockroachDB a store's scan took the store's read lock and, several calls "
        "down, asked for the Raft status, which took the same read lock again. Two read "
        "locks at once are fine, until a writer comes between them: Go's RWMutex makes "
        "a new reader wait once a writer is waiting, so that writers are not starved. "
        "The writer waited for the scanner's first read lock to go; the scanner's "
        "second read lock waited for the writer."),
    buggy=buggy, fixed=fixed, buggy_parts=(buggy, raft_status),
    fixed_parts=(fixed, raft_status_locked),
    fix=("the helper called with the lock held takes no lock of its own "
         "(raft_status_locked); only the outermost caller reads-locks mu."))
