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
# After a cell's reply nbgrader waits for the rest of its output, 4 s by default, and fails
# the whole notebook when it comes later. A live control room (notebooks 04 and 10) paints
# on after its cell returns, and at a load of 17 to 20 on 2 cores that output came later
# than 4 s: autograde failed the teacher's own notebook 10. The wait ends when the output
# is in, so a longer limit costs nothing when the machine keeps up.
c.Execute.iopub_timeout = 60

# nbgrader's kernels (Validate, autograde) listen on Unix sockets in their user's runtime
# folder, not on TCP ports any local user can reach: lessons/exercises/kernels.py says why.
# This file is read once per Validate and per nbgrader command, whose kernels run one
# after another, so they may share one prefix.
from lessons.exercises.kernels import private_sockets  # noqa: E402

c.KernelManager.update(private_sockets())

# nbgrader 0.9's gradebook links each new submission to its assignment and student before
# it adds it to the database session; SQLAlchemy 2 no longer follows such links into the
# session and says so ("Object of type <SubmittedAssignment> not in session, add operation
# along 'Student.submissions' will not proceed"), and nbgrader adds the object itself a
# moment later. The cause is inside nbgrader, not in a course or a learner's work, so
# exactly that message is silenced here, and autograde's log keeps what a teacher must read.
import warnings  # noqa: E402

from sqlalchemy.exc import SAWarning  # noqa: E402

warnings.filterwarnings("ignore", r"Object of type <Submitted\w+> not in session", SAWarning)

# `nbgrader export` writes grades.csv with nbgrader's own columns (the total, late
# penalties), then one column per graded exercise ("exercise 6.1": that exercise's
# score), so a teacher sees which exercises a class missed without opening the gradebook.
# A notebook not submitted scores 0 on each of its exercises, as in nbgrader's total.
import csv  # noqa: E402

from nbgrader.api import MissingEntry  # noqa: E402
from nbgrader.plugins.export import CsvExportPlugin  # noqa: E402


class PerExerciseCsvExport(CsvExportPlugin):
    def export(self, gradebook):
        super().export(gradebook)
        dest = self.to or "grades.csv"
        with open(dest, newline="") as f:
            reader = csv.DictReader(f)
            rows, fields = list(reader), reader.fieldnames
        cells = [(a.name, nb.name, cell.name) for a in gradebook.assignments
                 for nb in a.notebooks for cell in nb.grade_cells]
        columns = {name: "exercise " + ".".join(name.split("-")[1:3]) for _, _, name in cells}
        for row in rows:
            for assignment, notebook, name in cells:
                if assignment == row["assignment"]:
                    row[columns[name]] = self.score(gradebook, name, notebook, assignment, row["student_id"])
        with open(dest, "w", newline="") as f:
            writer = csv.DictWriter(f, list(dict.fromkeys([*fields, *columns.values()])), restval="")
            writer.writeheader()
            writer.writerows(rows)

    @staticmethod
    def score(gradebook, name, notebook, assignment, student):
        try:
            return gradebook.find_grade(name, notebook, assignment, student).score
        except MissingEntry:
            return 0.0


c.ExportApp.plugin_class = PerExerciseCsvExport
