"""Go's vocabulary (DESIGN.md): unbuffered channels, recv_ok, select's default and closed
cases, RWMutex, WaitGroup, Cond, time.After. Each primitive's rules on plain values, its
misuse refused with a sentence, its wait-for edges, the explorer's verdicts on it, in sim
and on real threads; and a goroutine leak, a deadlock with no cycle."""
import pytest

from lessons import Closed, Misuse, SimRuntime, explore, run_program, select
from lessons.cases import CASES
from lessons.explore import explore_with
from lessons.explore.learn import Successors
from lessons.explore.replay import ReplaySuccessors
from lessons.primitives import rules
from lessons.runtime import sleep

RUNTIMES = ("sim", "threads")


def outcome(program, runtime="sim", seed=0):
    return run_program(program, runtime=runtime, seed=seed, max_seconds=20.0)


# -- the rules, on plain values ----------------------------------------------------------

def test_rendezvous_rules_a_send_completes_only_once_its_item_is_taken():
    empty = rules.EMPTY[rules.RENDEZVOUS]
    offered = rules.change(rules.RENDEZVOUS, "c", None, empty, "offer", "x", "a")
    assert offered == ((("a", "x"),), False)
    assert not rules.READY[rules.RENDEZVOUS](0, offered, rules.SEND, "a")
    assert rules.READY[rules.RENDEZVOUS](0, offered, rules.RECV)
    taken, item = rules.commit(rules.RENDEZVOUS, "c", None, offered, rules.RECV, None, "b")
    assert (taken, item) == (((), False), "x")
    assert rules.READY[rules.RENDEZVOUS](0, taken, rules.SEND, "a")
    assert not rules.READY[rules.RENDEZVOUS](0, empty, rules.RECV)


def test_rwlock_rules_a_claimed_writer_bars_new_readers():
    rw = rules.EMPTY[rules.RWLOCK]
    ready = rules.READY[rules.RWLOCK]
    reading, _ = rules.commit(rules.RWLOCK, "mu", None, rw, rules.READ, None, "r")
    claimed, writing = rules.commit(rules.RWLOCK, "mu", None, reading, rules.ACQUIRE, None, "w")
    assert claimed == (("r",), "w", False) and writing is False
    assert not ready(None, claimed, rules.READ)        # a second read lock waits
    assert not ready(None, claimed, rules.DRAIN)       # the writer waits for r
    assert rules.partners(rules.RWLOCK, None, claimed, rules.READ) == ("w",)
    assert rules.partners(rules.RWLOCK, None, claimed, rules.DRAIN) == ("r",)
    left = rules.change(rules.RWLOCK, "mu", None, claimed, "release_read", None, "r")
    assert ready(None, left, rules.DRAIN)


def test_waitgroup_and_cond_rules():
    assert rules.change(rules.WAITGROUP, "wg", None, 0, "add", 2, "main") == 2
    assert rules.READY[rules.WAITGROUP](None, 0, rules.WAIT)
    assert not rules.READY[rules.WAITGROUP](None, 1, rules.WAIT)
    lost = rules.change(rules.COND, "c", None, ((), ()), "signal", None, "s")
    assert lost == ((), ())                            # nobody waiting: the signal is lost
    waiting = rules.change(rules.COND, "c", None, lost, "enqueue", None, "w")
    woken = rules.change(rules.COND, "c", None, waiting, "signal", None, "s")
    assert woken == ((), ("w",))
    assert rules.READY[rules.COND](None, woken, rules.WAIT, "w")
    assert not rules.READY[rules.COND](None, woken, rules.WAIT, "other")


# -- misuse, refused with a sentence ------------------------------------------------------

def crashes(program, message):
    for runtime in RUNTIMES:
        with pytest.raises(RuntimeError, match=message):
            outcome(program, runtime)


def test_releasing_an_unheld_read_lock_is_misuse():
    def program(rt):
        rw = rt.rwlock("mu")
        rt.spawn("reader", rw.release_read)
    crashes(program, "reader released the read lock of mu without holding it")


def test_a_waitgroup_below_zero_is_misuse():
    def program(rt):
        wg = rt.waitgroup("tasks")
        rt.spawn("worker", wg.done)
    crashes(program, r"tasks would go below zero \(0 -1\): done\(\) was called more times")


def test_cond_wait_without_its_lock_is_misuse():
    def program(rt):
        c = rt.cond("ready", rt.lock("mu"))
        rt.spawn("waiter", c.wait)
    crashes(program, r"waiter called ready.wait\(\) without holding mu")


def test_bad_arguments_name_the_knob():
    rt = SimRuntime()
    with pytest.raises(ValueError, match="jobs capacity must be a whole number at least 0"):
        rt.chan("jobs", -1)
    with pytest.raises(ValueError, match="timer seconds must be a number at least 0"):
        rt.after("timer", -1)
    with pytest.raises(Misuse, match="select cannot send on the unbuffered channel c"):
        rt.chan("c", 0).sending(1)


# -- behaviour in both runtimes -------------------------------------------------------------

@pytest.mark.parametrize("runtime", RUNTIMES)
def test_an_unbuffered_send_waits_for_its_receiver(runtime):
    seen = []

    def program(rt):
        c = rt.chan("c", 0)

        def sender():
            c.send("x")
            seen.append(("sent", c.rt.now() >= 0.5))

        def receiver():
            sleep(0.5)
            seen.append(("got", c.recv()))
        rt.spawn("sender", sender)
        rt.spawn("receiver", receiver)
    assert outcome(program, runtime).outcome == "completed"
    assert seen == [("got", "x"), ("sent", True)] or seen == [("sent", True), ("got", "x")]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_recv_ok_select_default_and_closed_cases(runtime):
    seen = []

    def program(rt):
        c = rt.chan("c", 1)
        idle = rt.chan("idle", 1)

        def actor():
            seen.append(select(c.receiving(), default=True))
            c.send(1)
            c.close()
            seen.append(c.recv_ok())
            seen.append(c.recv_ok())
            seen.append(select(idle.receiving(), c.receiving()))
        rt.spawn("a", actor)
    assert outcome(program, runtime).outcome == "completed"
    assert seen == [(None, None), (1, True), (None, False), (1, None)]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_after_fires_once_in_select(runtime):
    seen = []

    def program(rt):
        never = rt.chan("never", 1)

        def actor():
            timer = rt.after("timer", 0.2)
            seen.append(select(never.receiving(), timer.receiving()))
        rt.spawn("a", actor)
    assert outcome(program, runtime).outcome == "completed"
    assert seen[0][0] == 1 and seen[0][1] >= 0.2    # the time it fired at, on its clock


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_waitgroup_add_before_the_run_and_cond_wakes_its_waiter(runtime):
    seen = []

    def program(rt):
        wg, mu = rt.waitgroup("tasks"), rt.lock("mu")
        cond = rt.cond("turn", mu)
        wg.add(2)       # before the run, as Go's Add before `go f()`

        def worker():
            wg.done()

        def waiter():
            wg.wait()
            with mu:
                cond.wait()
                seen.append("woken")

        def signaller():
            wg.wait()
            sleep(0.3)
            cond.broadcast()
        for name, fn in (("w1", worker), ("w2", worker), ("waiter", waiter),
                         ("signaller", signaller)):
            rt.spawn(name, fn)
    assert outcome(program, runtime).outcome == "completed"
    assert seen == ["woken"]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_send_on_a_closed_unbuffered_channel_raises(runtime):
    seen = []

    def program(rt):
        c = rt.chan("c", 0)

        def actor():
            c.close()
            try:
                c.send(1)
            except Closed as exc:
                seen.append(str(exc))
        rt.spawn("a", actor)
    outcome(program, runtime)
    assert seen == ["a sent on c after it was closed"]


# -- wait-for edges, leaks, and the explorer -------------------------------------------------

read_twice = CASES["read-lock-twice"].buggy
wait_under_lock = CASES["wait-under-lock"].buggy
lost_signal = CASES["lost-signal"].buggy


def edges(result):
    return [(e.actor, e.waits_for, e.op, e.chan) for e in result.cycle]


@pytest.mark.parametrize("program, cycle", [
    (read_twice, [("scanner", "writer", "acquire_read", "mu"),
                  ("writer", "scanner", "drain", "mu")]),
    (wait_under_lock, [("stopper", "task", "wait", "tasks"), ("task", "stopper", "acquire", "mu")]),
])
def test_the_explorer_finds_each_cycle_and_its_schedule_replays_to_it(program, cycle):
    found = explore(program)
    assert found.verdict == "deadlock"
    assert sorted(edges(found)) == sorted(cycle)
    replayed = run_program(program, schedule=found.schedule)
    assert replayed.outcome == "deadlock" and sorted(edges(replayed)) == sorted(cycle)


def test_a_lost_signal_is_a_leak_a_deadlock_with_no_cycle():
    found = explore(lost_signal)
    assert found.verdict == "deadlock" and found.cycle == [] and found.stuck == ["waiter"]
    replayed = run_program(lost_signal, schedule=found.schedule)
    assert replayed.outcome == "deadlock" and replayed.cycle == []
    assert replayed.stuck == ["waiter"]
    assert replayed.reason == ("waiter waits on activated: nobody left who could wake "
                               "activated")


def test_a_late_send_is_a_leak_named_in_words():
    def program(rt):
        result = rt.chan("result", 0, senders=["worker"], receivers=["caller"])

        def caller():
            select(result.receiving(), rt.after("timer", 1.0).receiving())

        def worker():
            sleep(2.0)
            result.send(True)
        rt.spawn("caller", caller)
        rt.spawn("worker", worker)
    for runtime in ("sim",):
        r = outcome(program, runtime)
        assert (r.outcome, r.cycle, r.stuck) == ("deadlock", [], ["worker"])
        assert r.reason == "worker waits to send on result: nobody left who could receive on result"


def test_a_fixed_program_is_proved_free_of_deadlock():
    assert explore(CASES["read-lock-twice"].fixed).verdict == "no-deadlock"


def test_threads_see_the_same_cycle_when_it_forms():
    def program(rt):
        c1, c2 = rt.chan("c1", 0), rt.chan("c2", 0)

        def a():
            c1.send(1)
            c2.recv()

        def b():
            c2.send(1)
            c1.recv()
        rt.spawn("a", a)
        rt.spawn("b", b)
    r = outcome(program, "threads")
    assert r.outcome == "deadlock"
    assert sorted(edges(r)) == [("a", "b", "send", "c1"), ("b", "a", "send", "c2")]


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("fixed", [False, True], ids=["buggy", "fixed"])
def test_the_computed_search_is_the_replayed_one_and_reductions_keep_the_verdict(name, fixed):
    """The changes the explorer learns and replays (offers, adds, signals, read releases)
    give exactly what runs give; and every reduction keeps the verdict and the length of
    the shortest deadlock."""
    program = CASES[name].program(fixed)
    computed = explore_with(Successors, program)
    replayed = explore_with(ReplaySuccessors, program)
    figures = [(f.verdict, f.states, f.schedules, f.transitions, f.schedule, f.cycle, f.stuck)
               for f in (computed, replayed)]
    assert figures[0] == figures[1]
    full = explore(program, reduce=False, prune=False)
    assert full.verdict == computed.verdict
    assert len(full.schedule_tokens()) == len(computed.schedule_tokens())


def test_on_real_threads_a_second_read_lock_waits_behind_a_claimed_writer():
    """The writer claims the lock once the scanner reads, and the scanner takes its second
    read lock once the writer has claimed it (each looks, with a generous deadline,
    instead of sleeping and hoping)."""
    import time

    def until(condition):
        deadline = time.monotonic() + 30
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.001)

    def program(rt):
        mu = rt.rwlock("mu")

        def scanner():
            with mu.reading():
                until(lambda: mu.contents[1] == "writer")
                with mu.reading():
                    pass

        def writer():
            until(lambda: "scanner" in mu.contents[0])
            with mu.writing():
                pass
        rt.spawn("scanner", scanner)
        rt.spawn("writer", writer)
    r = outcome(program, "threads")
    assert r.outcome == "deadlock"
    assert sorted(edges(r)) == [("scanner", "writer", "acquire_read", "mu"),
                                ("writer", "scanner", "drain", "mu")]
