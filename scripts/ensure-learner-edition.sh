#!/usr/bin/env bash
# Write the learner's edition of the course with nbgrader, when notebooks/ has changed
# since it was last written.
#
#   [ASSIGNMENTS=one|weekly] scripts/ensure-learner-edition.sh [COURSE_DIR]   (default: course/)
#
# The edition is what `nbgrader generate_assignment` makes of the teacher's notebooks:
# answers replaced by a "your turn" comment, outputs cleared. ASSIGNMENTS chooses how the
# course is cut into nbgrader assignments (scripts/grading-numbers.py reads the plan):
# `one` (the default; what `make lab` opens and the tests grade) is the whole course as
# COURSE_DIR/release/deadlock-in-the-wild/; `weekly` is the two-week unit of
# course/weekly.txt, COURSE_DIR/release/week-1/ and week-2/. A learner's work there is
# never overwritten: when the notebooks change after the learner has worked in an
# edition, the old edition is moved to COURSE_DIR/earlier/ first, and the script says
# where. PYTHON names the Python that has nbgrader (default: .venv/bin/python).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
course=$(realpath -m "${1:-$repo/course}")
python=${PYTHON:-$repo/.venv/bin/python}
case $python in */*) python=$(realpath -s "$python") ;; esac   # nbgrader runs in $course
plan=${ASSIGNMENTS:-one}
assignments=$("$python" "$repo/scripts/grading-numbers.py" assignments "$plan")
key_file=$course/.learner-edition.$plan.key      # what the editions were written from

source_key() { (cd "$repo" && sha256sum notebooks/*.ipynb course/nbgrader_config.py course/weekly.txt); }
written_sums() { (cd "$1" && sha256sum ./*.ipynb); }
editions_exist() {
    local name
    for name in $(cut -d' ' -f1 <<<"$assignments"); do [ -d "$course/release/$name" ] || return 1; done
}

if [ -f "$key_file" ] && [ "$(source_key)" = "$(cat "$key_file")" ] && editions_exist; then
    echo "==> learner's edition: up to date in $course/release/ ($(cut -d' ' -f1 <<<"$assignments" | paste -sd' '))"
    exit 0
fi

# Move a learner's work in an edition out of the way (or drop an untouched edition).
keep_or_drop() {
    local edition=$1 sums_file=$course/.learner-edition.$2.sums kept
    [ -d "$edition" ] || return 0
    if [ -f "$sums_file" ] && [ "$(written_sums "$edition")" = "$(cat "$sums_file")" ]; then
        rm -rf "$edition"                  # untouched since it was written
    else
        kept=$course/earlier/$(date +%Y-%m-%d-%H%M%S)/$2
        mkdir -p "$(dirname "$kept")"
        mv "$edition" "$kept"
        echo "==> learner's edition: the notebooks changed; your earlier work is kept in $kept"
    fi
}

mkdir -p "$course/source"
[ "$course" = "$repo/course" ] || cp "$repo/course/nbgrader_config.py" "$course/"
# nbgrader runs `alembic` from PATH, and exits 0 even when it fails: count what it wrote.
bin_dir=$("$python" -c 'import os, sys; print(os.path.dirname(sys.executable))')
while read -r name notebooks; do
    edition=$course/release/$name
    keep_or_drop "$edition" "$name"
    echo "==> learner's edition: nbgrader generate_assignment $name (about 10 s) -> $edition"
    rm -rf "${course:?}/source/$name"
    mkdir "$course/source/$name"
    for notebook in $notebooks; do cp "$repo/notebooks/$notebook" "$course/source/$name/"; done
    (cd "$course" && PATH="$bin_dir:$PATH" "$python" -m nbgrader generate_assignment "$name" \
        --force --log-level=WARN)
    if [ "$(ls "$edition"/*.ipynb 2>/dev/null | wc -l)" -ne "$(wc -w <<<"$notebooks")" ]; then
        echo "==> learner's edition: error: nbgrader did not write every notebook of $name (see its messages above)" >&2
        exit 1
    fi
    written_sums "$edition" >"$course/.learner-edition.$name.sums"
done <<<"$assignments"
source_key >"$key_file"
