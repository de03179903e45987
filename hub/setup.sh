#!/usr/bin/env bash
# The class's shared environment on one machine: the course installed once, read-only,
# in a virtual environment that every learner's server runs from, and the learner's
# edition that each learner gets a copy of on first login (jupyterhub_config.py).
#
#   hub/setup.sh [ENV_DIR]        (as root; default ENV_DIR: /opt/deadlock-in-the-wild)
#
# ENV_DIR/bin/...        the environment: the course, JupyterLab, nbgrader, JupyterHub
# ENV_DIR/course/release/deadlock-in-the-wild/    the learner's edition (nbgrader's)
#
# The environment is built from a Python that every learner can execute: a Python under
# /root (pyenv's, say) is not, because /root is closed to other users, and a learner's
# server started from it fails at once. The script tries $PYTHON3, then python3 on PATH,
# then /usr/bin/python3, and says which it took and why it passed over the others.
# Repeating it does nothing unless the course changed; then it reinstalls the course.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
env_dir=${1:-/opt/deadlock-in-the-wild}
stamp=$env_dir/.installed

if [ "$(id -u)" -ne 0 ]; then
    echo "hub/setup.sh: run it as root: it writes $env_dir, which learners may read and not change." >&2
    exit 1
fi

# `python` runs, as a user who is not root (nobody), and is 3.10 or newer with venv.
runs_for_everyone() {
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$1" -c \
        'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null
}

find_python() {
    local candidate path
    for candidate in ${PYTHON3:-} python3 /usr/bin/python3; do
        path=$(command -v "$candidate" 2>/dev/null) || continue
        path=$(realpath "$path")
        if runs_for_everyone "$path"; then
            echo "$path"
            return
        fi
        echo "==> shared environment: passing over $candidate ($path): a learner cannot run it (a folder on its path is closed to other users, or it is older than 3.10, or has no venv)" >&2
    done
    echo "hub/setup.sh: no Python 3.10+ with venv that every user can execute; install Debian's: apt-get install python3 python3-venv" >&2
    exit 1
}

# What the installed environment was made from: a change in any of it means reinstall.
install_key() {
    echo "$python"
    (cd "$repo" && cat pyproject.toml && find lessons dining -name '*.py' -o -name '*.proto' | sort | xargs sha256sum)
}

python=$(find_python)
if [ -f "$stamp" ] && [ "$(install_key)" = "$(cat "$stamp")" ]; then
    echo "==> shared environment: the course is installed in $env_dir"
else
    echo "==> shared environment: $env_dir from $python ($("$python" -V)), which every learner can run"
    [ -x "$env_dir/bin/python" ] || "$python" -m venv "$env_dir"
    echo "    installing the course, JupyterLab, nbgrader and JupyterHub (1 to 3 minutes the first time)"
    "$env_dir/bin/python" -m pip install --quiet --disable-pip-version-check "$repo[hub]"
    # The same version number would make pip keep an older copy of the course: replace it.
    "$env_dir/bin/python" -m pip install --quiet --disable-pip-version-check \
        --no-deps --force-reinstall "$repo"
    install_key >"$stamp"
fi

PYTHON=$env_dir/bin/python "$repo/scripts/ensure-learner-edition.sh" "$env_dir/course"
# Learners read and run everything here, and change nothing.
chown -R root:root "$env_dir"
chmod -R go-w,a+rX "$env_dir"
echo "==> shared environment: ready; learners' servers run $env_dir/bin/jupyterhub-singleuser"
