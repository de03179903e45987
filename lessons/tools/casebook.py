"""Testing against exploring, on the casebook's programs (notebook 11, benchmarks/cases.py).

    hits(program, "sim", 1000)   # (share of runs that deadlock, first seed that did, seconds)
    compare(case, sim_seeds=200, thread_runs=20)   # one row: testing's numbers, the explorer's
    table(rows)                                     # the rows as a few readable lines

A random run is a test: it tries one schedule. The explorer tries them all.
"""
import time

from lessons.explore import explore
from lessons.runtime.program import run_program


def hits(program, runtime, runs):
    """(share of `runs` runs, seeds 0..runs-1, that deadlock; the first seed that did, or
    None; seconds the runs took)."""
    began, first, count = time.perf_counter(), None, 0
    for seed in range(runs):
        if run_program(program, runtime=runtime, seed=seed).outcome == "deadlock":
            count += 1
            first = seed if first is None else first
    return count / runs, first, time.perf_counter() - began


def compare(case, sim_seeds, thread_runs):
    """One case: how often random runs (sim, real threads) hit its bug, how the explorer
    finds it (states, moves, seconds) and proves the fix (states, seconds)."""
    sim_share, first, testing_s = hits(case.buggy, "sim", sim_seeds)
    threads_share, _, _ = hits(case.buggy, "threads", thread_runs)
    found, proof = explore(case.buggy), explore(case.fixed)
    return {"case": case.name, "project": case.project,
            "sim_hit_share": round(sim_share, 3), "first_sim_seed": first,
            "threads_hit_share": round(threads_share, 3), "testing_s": round(testing_s, 2),
            "explore_verdict": found.verdict, "explore_states": found.states,
            "explore_moves": len(found.schedule_tokens()), "explore_s": round(found.seconds, 3),
            "fix_verdict": proof.verdict, "fix_states": proof.states,
            "fix_s": round(proof.seconds, 3)}


def table(rows, sim_seeds, thread_runs):
    """The rows of `compare` as an aligned table."""
    lines = [f"{'case':18} {'sim hits':>9} {'threads':>8} {'explore':>17} {'fix proved':>16}",
             f"{'':18} {f'of {sim_seeds}':>9} {f'of {thread_runs}':>8} "
             f"{'states, moves, s':>17} {'states, s':>16}"]
    for r in rows:
        lines.append(f"{r['case']:18} {r['sim_hit_share']:>9.1%} {r['threads_hit_share']:>8.0%} "
                     f"{r['explore_states']:>7} {r['explore_moves']:>3} {r['explore_s']:>5.2f} "
                     f"{r['fix_states']:>9} {r['fix_s']:>6.2f}")
    return "\n".join(lines)
