#!/usr/bin/env bash
# Create .venv (if missing) and install the package with its test extras into it.
#
# The install is skipped when nothing it depends on has changed since the last
# successful one: pyproject.toml and the list of top-level packages. The packages
# are part of the key because an editable install maps only the top-level
# packages that existed when it ran, so a new one (say dining/) needs a reinstall.
set -euo pipefail

cd "$(dirname "$0")/.."
venv=.venv
stamp=$venv/.installed

install_key() {
    cat pyproject.toml
    ls -d -- */__init__.py 2>/dev/null || true
}

if [ ! -x "$venv/bin/python" ]; then
    rm -rf "$venv"    # a half-made venv (say, ensurepip was missing) would stay broken
    python3 -m venv "$venv"
fi

if [ -f "$stamp" ] && [ "$(install_key)" = "$(cat "$stamp")" ]; then
    exit 0
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
install_key >"$stamp"
