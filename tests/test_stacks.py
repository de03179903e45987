"""The stacks at the shim's exit read like a Go crash dump: the system's own frames, whole."""
from lessons import Scenario
from lessons.tools.stacks import format_stacks, run_with_stacks


def test_stacks_show_the_story_s_frames_with_their_comments_and_no_runtime_machinery():
    result, stacks = run_with_stacks(Scenario(design="single", client="slow", seed=3))
    text = format_stacks(stacks, actors=["shim.main", "engine"])
    assert result.exit is not None
    assert "shim.main [exiting: its timer fired]" in text
    assert "engine [blocked: send notifications]" in text
    # the line that matters, with its comment, never cut short
    assert "system.notifications.send(item)          # blocks while the buffer is full" in text
    assert "shim.call_engine(value)                # ...which waits here, draining nothing" in text
    # the course's machinery is left out, as Go's runtime frames are
    for machinery in ("sim.py", "threads.py", "base.py", "system.py", "_thread_body", "_park"):
        assert machinery not in text, machinery
