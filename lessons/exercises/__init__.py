"""The notebooks' checks, one module per notebook, and the little programs they show.

    from lessons.exercises import check_fix
    check_fix(my_design)        # prints "✓ right", or "✗ not yet" and the run that shows it

    check_outcome(said, ..) 00  predict how a run ends                    (outcome.py)
    check_swap(fn)          01  when two actors that swap items deadlock  (swapping.py)
    check_engine(fn)        02  what a lone engine does when nobody reads (engine.py)
    check_happy(requests)   03  requests the single design always completes (happy.py)
    check_threshold(fn)     04  the smallest request that can deadlock    (threshold.py)
    check_classifier(fn)    05  deadlock, stall or fine from a wait-for graph (classifier.py)
    check_fix(design)       06  a fix that holds on every seed and story scenario (fix.py)
    check_schedule(s, want) 07  a schedule string that ends the run as you say (schedule.py)
    check_workshop(design)  09  the capstone's fix                         (workshop.py)
    check_follow_pipes(fn, run) 10  the waits on pipes, across processes    (wild.py)
    check_wild_outcome(said)    10  a bigger buffer, in real processes      (wild.py)
    check_stopper_fix(fn)       11  a casebook bug fixed, proved by the explorer (casebook.py)
    check_activation_fix(w, a)  11  a lost signal fixed, proved likewise       (casebook.py)
    check_story_actor(fn, dump) 12  which goroutine of a Go dump is which actor (original.py)
    check_go_outcome(said)      12  a bigger buffer, in the Go program       (original.py)

Every check runs the model (the sim runtime, never widgets) and returns a Report
(report.py): true when the answer is right; when not, it ends with Python that shows the
problem again, as printed. The demo programs (swap, lone_engine, freeze) are in demos.py.
"""
from .casebook import check_activation_fix, check_stopper_fix
from .classifier import check_classifier
from .demos import freeze, lone_engine, swap
from .engine import check_engine
from .fix import check_fix
from .happy import check_happy
from .outcome import check_outcome
from .report import Report
from .schedule import check_schedule
from .swapping import check_swap
from .threshold import check_threshold
from .wild import check_follow_pipes, check_wild_outcome
from .workshop import check_workshop

__all__ = ["Report", "check_outcome", "check_swap", "check_engine", "check_happy",
           "check_threshold", "check_classifier", "check_fix", "check_schedule",
           "check_workshop", "check_follow_pipes", "check_wild_outcome", "check_stopper_fix",
           "check_activation_fix", "swap", "lone_engine", "freeze"]
