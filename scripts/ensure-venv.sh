#!/usr/bin/env bash
# Create .venv (if missing) and install the package with its test extras into it,
# saying what it does, how long it usually takes, and what to do when it fails.
#
# The install is skipped when nothing it depends on has changed since the last
# successful one: pyproject.toml and the list of top-level packages. The packages
# are part of the key because an editable install maps only the top-level
# packages that existed when it ran, so a new one (say dining/) needs a reinstall.
# PYTHON3 names the Python to build .venv from (default: python3).
set -euo pipefail

cd "$(dirname "$0")/.."
venv=.venv
stamp=$venv/.installed
python3=${PYTHON3:-python3}

install_key() {
    cat pyproject.toml
    ls -d -- */__init__.py 2>/dev/null || true
}

if [ -f "$stamp" ] && [ "$(install_key)" = "$(cat "$stamp")" ]; then
    echo "==> .venv: the course and its packages are installed"
    exit 0
fi

if ! command -v "$python3" >/dev/null; then
    echo "error: '$python3' not found. Install Python 3.10 or newer (Debian/Ubuntu: apt-get install python3), or use the conda route in the README." >&2
    exit 1
fi
if ! "$python3" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "error: the course needs Python 3.10 or newer, and $python3 is $("$python3" -V 2>&1)." >&2
    echo "  Install a newer one (e.g. apt-get install python3.11 python3.11-venv) and run: PYTHON3=python3.11 make lab" >&2
    echo "  or use the conda route in the README (conda env create -f environment.yml)." >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "==> .venv: creating the virtual environment with $python3 -m venv (a few seconds)"
    rm -rf "$venv"    # a half-made venv (say, ensurepip was missing) would stay broken
    "$python3" -m venv "$venv"
fi

echo "==> .venv: installing the course with pip: JupyterLab, ipywidgets, matplotlib, nbgrader"
echo "    and the test tools (about 1 to 3 minutes the first time, mostly downloads)"
if ! "$venv/bin/python" -m pip install --disable-pip-version-check -e '.[test]'; then
    echo "error: pip could not install the course (its messages are above)." >&2
    echo "  No network? pip downloads from PyPI: check the connection, or set HTTPS_PROXY behind a proxy." >&2
    echo "  Then run the same command again; what was installed is kept." >&2
    exit 1
fi
install_key >"$stamp"
echo "==> .venv: done"
