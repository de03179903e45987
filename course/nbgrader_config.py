# nbgrader's configuration for the course; this folder is the nbgrader course directory.
# `make student` copies notebooks/ (the teacher's edition, the one truth) into
# source/deadlock-in-the-wild/ and runs `nbgrader generate_assignment` here, which writes
# the learner's edition to release/deadlock-in-the-wild/. Everything in this folder but
# this file is written by commands (git ignores it). Release, collect, autograde and
# feedback: docs/instructor-guide.md, "Grading with nbgrader".
c = get_config()  # noqa: F821 (nbgrader provides it)

# The course's name on your JupyterHub's exchange: set it to the name your hub uses.
c.CourseDirectory.course_id = "deadlock-in-the-wild"

# What replaces each answer in the learner's edition. A comment, not nbgrader's default
# `raise NotImplementedError()`: the starter code above it stays and runs, the check below
# it says "not yet", and a learner's Run All never stops on an error.
c.ClearSolutions.code_stub = {"python": "# your turn: change the code above, then run the check below"}

# A check runs the model many times (6.1 tries 120 runs): nbgrader's default of 30 s per
# cell is too short on a busy machine.
c.Execute.timeout = 300
