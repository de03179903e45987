#!/usr/bin/env bash
# Write the learner's edition of the course with nbgrader, when notebooks/ has changed
# since it was last written.
#
#   scripts/ensure-learner-edition.sh [COURSE_DIR]      (default: course/)
#
# The edition is what `nbgrader generate_assignment` makes of the teacher's notebooks:
# COURSE_DIR/release/deadlock-in-the-wild/, answers replaced by a "your turn" comment,
# hidden tests removed, outputs cleared. A learner's work there is never overwritten:
# when the notebooks change after the learner has worked in the edition, the old edition
# is moved to COURSE_DIR/earlier/ first, and the script says where. PYTHON names the
# Python that has nbgrader (default: .venv/bin/python).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
course=$(realpath -m "${1:-$repo/course}")
python=${PYTHON:-$repo/.venv/bin/python}
case $python in */*) python=$(realpath -s "$python") ;; esac   # nbgrader runs in $course
assignment=deadlock-in-the-wild
edition=$course/release/$assignment
key_file=$course/.learner-edition.key      # what the edition was written from
sums_file=$course/.learner-edition.sums    # what was written, to tell a learner's changes

source_key() { (cd "$repo" && sha256sum notebooks/*.ipynb course/nbgrader_config.py); }
written_sums() { (cd "$edition" && sha256sum ./*.ipynb); }

if [ -f "$key_file" ] && [ "$(source_key)" = "$(cat "$key_file")" ] && [ -d "$edition" ]; then
    echo "==> learner's edition: up to date in $edition"
    exit 0
fi

if [ -d "$edition" ]; then
    if [ -f "$sums_file" ] && [ "$(written_sums)" = "$(cat "$sums_file")" ]; then
        rm -rf "$edition"                  # untouched since it was written
    else
        kept=$course/earlier/$(date +%Y-%m-%d-%H%M%S)
        mkdir -p "$course/earlier"
        mv "$edition" "$kept"
        echo "==> learner's edition: the notebooks changed; your earlier work is kept in $kept"
    fi
fi

echo "==> learner's edition: nbgrader generate_assignment (about 10 s) -> $edition"
mkdir -p "$course/source"
[ "$course" = "$repo/course" ] || cp "$repo/course/nbgrader_config.py" "$course/"
rm -rf "${course:?}/source/$assignment"
mkdir "$course/source/$assignment"
cp "$repo"/notebooks/*.ipynb "$course/source/$assignment/"
# nbgrader runs `alembic` from PATH, and exits 0 even when it fails: count what it wrote.
bin_dir=$("$python" -c 'import os, sys; print(os.path.dirname(sys.executable))')
(cd "$course" && PATH="$bin_dir:$PATH" "$python" -m nbgrader generate_assignment "$assignment" \
    --force --log-level=WARN)
if [ "$(ls "$edition"/*.ipynb 2>/dev/null | wc -l)" -ne "$(ls "$repo"/notebooks/*.ipynb | wc -l)" ]; then
    echo "==> learner's edition: error: nbgrader did not write every notebook (see its messages above)" >&2
    exit 1
fi
source_key >"$key_file"
written_sums >"$sums_file"
