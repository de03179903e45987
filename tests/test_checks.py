"""The exercise checks reject wrong answers and accept right ones, and say which run shows it."""
import contextlib
import io

import pytest

from lessons import Design, Scenario, run, select
from lessons.analysis import waitfor
from lessons.exercises import (
    check_classifier,
    check_engine,
    check_fix,
    check_happy,
    check_outcome,
    check_schedule,
    check_swap,
    check_threshold,
    check_workshop,
    freeze,
)
from lessons.runtime.linux.records import Blocked, Evidence, Kernel, Pipe
from lessons.story import shim_single, workshop
from lessons.story.workshop import CallbackDesign, first_try

# -- a learner's split design, written from scratch as notebook 06 asks ------------------

def my_requests(shim):
    for request in shim.requests:
        shim.call_engine(request)


def my_main(shim):
    for item in shim.notifications:
        shim.stream.send(item)


def test_fix_accepts_a_learners_split_design():
    report = check_fix(Design("mine", my_requests, my_main, engine_caller="shim.requests"))
    assert report, str(report)
    assert "no deadlock" in str(report)


def test_fix_accepts_the_reference_split_design():
    assert check_fix("split")


def test_fix_rejects_the_unchanged_single_design_and_names_the_run():
    report = check_fix("single")
    assert not report
    text = str(report)
    assert "DEADLOCK" in text and "seed" in text and "schedule:" in text
    assert "see it again:" in text and "run(Scenario(design='single'" in text
    assert "python -m lessons run --design single" in text
    assert run(report.evidence).outcome == "deadlock"      # the evidence replays


def test_fix_rejects_a_bigger_buffer():
    report = check_fix("single", channel_capacity=256)
    assert not report
    assert "only moves the threshold" in str(report)
    assert report.evidence.channel_capacity == 256
    assert run(report.evidence).outcome == "deadlock"


def test_fix_rejects_a_longer_timeout():
    report = check_fix("single", timeout=86_400)
    assert not report
    assert "timeout does not end a deadlock" in str(report)


def test_fix_rejects_a_short_timeout_even_on_the_split_design():
    report = check_fix("split", timeout=0.1)
    assert not report
    assert "exited" in str(report)


def test_fix_rejects_the_single_design_under_another_name():
    renamed = Design("mine", shim_single.requests_goroutine, shim_single.main_goroutine,
                     engine_caller="shim.main")
    assert not check_fix(renamed)


def test_fix_reports_a_design_that_crashes():
    def broken(shim):
        raise RuntimeError("oops")

    report = check_fix(Design("crashes", broken, my_main, engine_caller="shim.requests"))
    assert not report and "your broken (it runs as shim.requests) crashed" in str(report)


def handing_requests(shim):
    for request in shim.requests:
        shim.handoff.send(request)


def test_a_split_design_that_still_uses_the_handoff_is_told_so_in_a_sentence():
    # 6.1 half done: requests call the engine, but main still selects on the handoff
    main_with_handoff = shim_single.main_goroutine
    report = check_fix(Design("mine", my_requests, main_with_handoff,
                              engine_caller="shim.requests"))
    text = str(report)
    assert not report and "there is no handoff" in text
    assert "NoneType" not in text and "Traceback" not in text
    with pytest.raises(RuntimeError, match="shim.main crashed"):   # the run, seen again
        see_again(report, {"my_requests": my_requests, "main_goroutine": main_with_handoff})


def test_a_design_calling_the_engine_from_the_wrong_goroutine_is_told_so():
    report = check_fix(Design("mine", my_requests, my_main, engine_caller="shim.main"))
    assert not report and "c_buffer, whose send end belongs to shim.main" in str(report)


def test_mistakes_in_a_learners_function_become_sentences():
    def raises(*args):
        raise NameError("name 'capcity' is not defined")

    for report in (check_swap(raises), check_engine(raises), check_threshold(raises),
                   check_classifier(raises)):
        assert not report and "raised NameError: name 'capcity'" in str(report)
    not_a_pair = check_engine(lambda size, capacity: size <= capacity)
    assert not not_a_pair and "give a pair" in str(not_a_pair)
    assert "say 'deadlock', 'stall' or None" in str(check_classifier(lambda g: "Deadlock"))
    assert "requests" in str(check_happy(["gimme 32"]))          # a bad request, said
    assert "channel_capacity" in str(check_fix("split", channel_capacity=0))


# -- the smaller exercises -------------------------------------------------------------------

def test_swap():
    assert check_swap(lambda capacity, items: items > capacity)
    report = check_swap(lambda capacity, items: items >= capacity)
    assert not report and "print(swap(1, 1).deadlock or 'no deadlock')" in str(report)


def test_engine():
    assert check_engine(lambda size, capacity: (min(size, capacity), size <= capacity))
    assert not check_engine(lambda size, capacity: (size, True))


def test_happy_requests():
    assert check_happy(["get 32", "ping @ 2"])
    late_enough_not = check_happy(["get 32", "ping @ 0.5"])
    assert not late_enough_not and "seed" in str(late_enough_not)
    assert not check_happy(["get 2", "ping"])          # never near the danger: not the exercise


def test_threshold():
    assert check_threshold(lambda capacity: capacity + 1)
    assert not check_threshold(lambda capacity: capacity + 2)   # not the smallest
    assert not check_threshold(lambda capacity: capacity)       # never deadlocks


def test_freeze_shows_the_graph_when_the_deadlock_forms_not_after_the_exit():
    # Nobody can move once the workshop's deadlock forms, so the sim jumps to the timer:
    # a graph taken when the run stops would show the exit, and no loop.
    bad = Scenario(design=first_try, requests=["subscribe prices", "ping"], seed=0)
    g = freeze(bad, system_class=workshop.WorkshopSystem)
    v = waitfor.verdict(g)
    assert v is not None and v.kind == "deadlock"
    assert g.t == workshop.run_workshop(bad).deadlock_at < 3600
    assert {(e.actor, e.chan) for e in v.cycle} == {("shim.requests", "replies"), ("engine", "answers")}


def test_classifier():
    def right(g):
        v = waitfor.verdict(g)
        return v.kind if v else None

    def cycle_only(g):      # forgets that a chain to the client is a stall
        return "deadlock" if waitfor.deadlocked(g) else None

    def quiet(g):
        return not any(n.state in waitfor.CAN_MOVE for n in g.nodes.values())

    def any_wait_on_the_client(g):   # a receive from the client is the system waiting for work
        if waitfor.deadlocked(g) or not quiet(g):
            return "deadlock" if waitfor.deadlocked(g) else None
        inside = [e for e in g.edges if not g.nodes[e.actor].outside]
        return "stall" if any(g.nodes[e.waits_for].outside for e in inside) else None

    def one_edge_chains(g):          # only a sender that waits on the client directly
        if waitfor.deadlocked(g) or not quiet(g):
            return "deadlock" if waitfor.deadlocked(g) else None
        return "stall" if any(e.op == "send" and g.nodes[e.waits_for].outside
                              and not g.nodes[e.actor].outside for e in g.edges) else None

    assert check_classifier(right)
    assert not check_classifier(cycle_only)
    assert not check_classifier(lambda g: None)
    assert "waiting for the client to ask: you said 'stall'" in str(check_classifier(any_wait_on_the_client))
    assert "-> client.send: you said None" in str(check_classifier(one_edge_chains))


def test_schedule():
    deadly = run(Scenario(channel_capacity=2, request_size=4, seed=2))
    assert deadly.outcome == "deadlock"
    assert check_schedule(deadly.schedule)
    assert not check_schedule("C R M")                   # leaves the deadlock to chance
    assert "cannot be replayed" in str(check_schedule("Z"))


SEVEN_TWO = {"want": "completed", "channel_capacity": 1, "request_size": 2, "client": "fast"}


def test_always_completes_is_proven_by_the_explorer_not_sampled():
    """Exercise 7.2: after this prefix seeds 0-3 complete (4, 6 and 8 deadlock), so a
    check that samples those seeds says right; the explorer finds the deadlock left."""
    chancy = "S E S M C R*3 M/1 M S E R E M E"
    assert all(run(Scenario(schedule=chancy, seed=s, **{k: v for k, v in SEVEN_TWO.items()
                                                        if k != "want"})).outcome == "completed"
               for s in range(4))
    refused = check_schedule(chancy, seeds=range(4), **SEVEN_TWO)
    assert not refused and "the deadlock is still possible" in str(refused)
    assert run(refused.evidence).outcome == "deadlock"             # its schedule shows it
    proven = check_schedule(chancy + " M/0", **SEVEN_TWO)           # the notebook's answer
    assert proven and "the explorer tried every one" in str(proven)


def test_workshop_rejects_the_first_try_and_accepts_fixes():
    assert not check_workshop(first_try)

    def main_answers(shim):
        while True:
            which, value = select(shim.notifications.receiving(), shim.callbacks.receiving())
            if which == 0:
                shim.stream.send(value)
            else:
                shim.answer_callback(value)

    assert check_workshop(CallbackDesign("main answers", my_requests, main_answers,
                                         engine_caller="shim.requests",
                                         callback_server="shim.main"))


def test_outcome():
    assert check_outcome("deadlock", client="fast")
    assert check_outcome("completed", design="split")
    wrong = check_outcome("completed", client="fast")
    assert not wrong and "DEADLOCK" in str(wrong)
    assert not check_outcome("fine")


def test_an_outcome_is_the_word_whatever_its_case():
    assert check_outcome("Deadlock", client="fast")          # issue 21: 0.1 said "not yet"
    assert check_outcome(" DEADLOCK ", client="fast")


# -- answers copied from above, hard-coded or sorted are turned down (issue 21) -------------

SMALL = dict(channel_capacity=1, request_size=2, client="fast")    # notebook 07's small story


def test_7_1_turns_down_the_explorers_schedule_copied_from_above():
    from lessons import explore
    shortest = explore(Scenario(design="single", **SMALL)).schedule
    copied = check_schedule(shortest, **SMALL)
    assert not copied and "explorer's shortest deadlock" in str(copied)
    by_hand = "S S R R R S R M M/1 R M E*3 M M/1 M E"              # the teacher's answer
    assert check_schedule(by_hand, **SMALL)


def test_8_1_turns_down_the_ordered_rule_however_it_is_written():
    from dining import ordered
    from dining.checks import check_strategy

    def lower_first(table, i):
        a, b = table.left(i), table.right(i)
        table.take(min(a, b))
        table.take(max(a, b))

    for pick_up in (ordered.pick_up, lower_first):
        report = check_strategy(pick_up)
        assert not report and "that is the ordered table" in str(report)


def test_3_1_says_why_it_was_safe_in_words_true_of_the_order_given():
    ping_first = check_happy(["ping", "get 32"])
    assert ping_first and "arrives after" not in str(ping_first)
    assert "nothing is asked after the big get" in str(ping_first)
    late_ping = check_happy(["get 32", "ping @ 2"])
    assert late_ping and "once its answer has drained" in str(late_ping)


def test_3_2_a_stalled_client_is_told_as_a_stall_not_a_deadlock():
    report = check_happy(["get 32", "ping @ 2"], client="stalled")
    assert not report and "stall" in str(report)
    assert "the client stopped reading" in str(report)
    assert "waits on the engine" not in str(report)            # the deadlock's hint


def test_6_2_without_recording_the_reply_is_not_called_a_stall():
    def draining_main(shim):
        while True:
            which, value = select(shim.notifications.receiving(), shim.handoff.receiving())
            if which == 0:
                shim.stream.send(value)
                continue
            shim.c_buffer.send(value)
            while True:
                got, item = select(shim.replies.receiving(), shim.notifications.receiving())
                if got == 0:
                    break                                  # the reply, never recorded
                shim.stream.send(item)

    def handing_requests(shim):
        for request in shim.requests:
            shim.handoff.send(request)

    report = check_fix(Design("draining", handing_requests, draining_main,
                              engine_caller="shim.main"))
    assert not report and "stall" not in str(report).split("schedule:")[0]
    assert "shim.ledger.answered.append(reply)" in str(report)


# notebook 10's exercise 10.1 on the evidence of a deadlocked processes run, as its shape is
def blocked(actor, process, waits, channel, read_end, write_end):
    kernel = Kernel("python", "S", "anon_pipe_write", "write")
    pipe = Pipe(channel, 9, 1234, 4, 4, [read_end], [write_end])
    return Blocked(actor, process, 100, 101, waits, False, 1.0, kernel, [pipe])


EVIDENCE = Evidence(blocked=[
    blocked("engine", "engine", "send notifications", "notifications", "shim fd 9", "engine fd 11"),
    blocked("shim.main", "shim", "recv replies", "replies", "shim fd 7", "engine fd 8")])
ANSWER = {("engine", "notifications", "shim"), ("shim.main", "replies", "engine")}


class Run:
    evidence = EVIDENCE


def untouched_stub(evidence):
    edges = set()
    for blocked in evidence["blocked"]:
        for pipe in blocked.get("pipes", []):
            pass
    return edges


def reads_the_evidence(evidence):
    return {(b["actor"], p["channel"],
             (p["write_end"] if "recv" in b["waits"] else p["read_end"])[0].split()[0])
            for b in evidence["blocked"] for p in b["pipes"]}


def test_10_1_the_untouched_stub_is_not_shown_the_answer():
    from lessons.exercises.wild import check_follow_pipes
    report = str(check_follow_pipes(untouched_stub, Run()))
    assert "missing: a triple for engine waiting on notifications" in report
    for actor, channel, process in ANSWER:
        assert repr((actor, channel, process)) not in report


def test_10_1_turns_down_a_hard_coded_set_and_accepts_one_read_from_the_evidence():
    from lessons.exercises.wild import check_follow_pipes
    hard_coded = check_follow_pipes(lambda evidence: set(ANSWER), Run())
    assert not hard_coded and "not read from the evidence" in str(hard_coded)
    assert check_follow_pipes(reads_the_evidence, Run())


# -- "see it again": the printed code runs as printed and shows the same run -------------

def see_again(report, namespace=None):
    """Run the "see it again" code exactly as the report prints it; what it printed."""
    text = str(report)
    code = text.split("  see it again:\n", 1)[1]
    lines = [line[4:] for line in code.splitlines() if line.startswith("    ")]
    assert "\n".join(lines) == report.replay
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec("\n".join(lines), dict(namespace or {}))
    return out.getvalue()


@pytest.mark.parametrize("make", [
    lambda: check_fix("single"),
    lambda: check_fix("single", channel_capacity=256),
    lambda: check_outcome("completed", client="fast"),
    lambda: check_happy(["get 32", "ping @ 0.5"]),
    lambda: check_threshold(lambda capacity: capacity + 2),
    lambda: check_schedule("C R M"),
], ids=["fix", "fix-bigger-buffer", "outcome", "happy", "threshold", "schedule"])
def test_see_it_again_code_repeats_the_run_that_failed(make):
    report = make()
    assert not report and report.evidence is not None
    printed = see_again(report)
    assert printed.startswith(f"outcome: {run(report.evidence).outcome.upper()}")


def test_see_it_again_code_names_a_learners_design_by_its_parts():
    renamed = Design("mine", handing_requests, shim_single.main_goroutine,
                     engine_caller="shim.main")
    report = check_fix(renamed)
    assert not report
    assert "Design('mine', handing_requests, main_goroutine, engine_caller='shim.main')" in str(report)
    printed = see_again(report, {"handing_requests": handing_requests,
                                 "main_goroutine": shim_single.main_goroutine})
    assert printed.startswith("outcome: DEADLOCK")


def test_a_design_of_lambdas_is_asked_for_names_instead_of_code_that_cannot_run():
    report = check_fix(Design("mine", lambda shim: None, my_main, engine_caller="shim.requests"))
    assert not report and "define your functions with def" in str(report)
    assert see_again(report) == ""                        # a comment: it runs, and says why


def test_see_it_again_code_of_the_workshop_runs_the_variant():
    report = check_workshop(first_try)
    assert not report and "run_workshop(Scenario(design=CallbackDesign('first try'" in str(report)
    printed = see_again(report, vars(workshop))
    assert printed.startswith("outcome: DEADLOCK")


def test_see_it_again_code_of_the_small_programs():
    assert see_again(check_swap(lambda capacity, items: items >= capacity)) == "no deadlock\n"
    said = check_engine(lambda size, capacity: (size, True))
    assert "get 2 then ping, notifications capacity 1" in str(said)
    assert see_again(said) == "(1, False)\n"            # what the engine really does


# -- what nbgrader sees of a check -------------------------------------------------------

@pytest.mark.parametrize("under", ["validate", "autograde"])
def test_a_check_fails_its_cell_under_nbgrader_exactly_when_its_answer_is_not_right(monkeypatch, under):
    """Validate and autograde set NBGRADER_EXECUTION: a report that is not right raises
    (the cell fails, 0 points) with itself as the message; a right one never does. In
    class (unset), neither raises, so Run All goes on."""
    from lessons.exercises.report import NotYet, right, wrong
    monkeypatch.setenv("NBGRADER_EXECUTION", under)
    right("the story completes").tell_nbgrader()
    with pytest.raises(NotYet, match="not yet") as raised:
        wrong("the story deadlocks").tell_nbgrader()
    assert "the story deadlocks" in str(raised.value)
    monkeypatch.delenv("NBGRADER_EXECUTION")
    right("the story completes").tell_nbgrader()
    wrong("the story deadlocks").tell_nbgrader()
