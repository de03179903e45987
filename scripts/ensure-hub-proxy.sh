#!/usr/bin/env bash
# Install configurable-http-proxy, JupyterHub's proxy (an npm package), when it is
# missing: into .hub-tools/ of this checkout, so that nothing outside it changes.
#
#   scripts/ensure-hub-proxy.sh
#
# Found first on PATH, then in .hub-tools/; tests/test_hub.py and
# benchmarks/class_on_hub.py look in the same two places (hub/proxy.py). Needs node and
# npm (Debian: nodejs npm, installed by `make test` through ensure-system-deps.sh).
# Without them this is a notice, not an error: only the hub test is skipped.
set -euo pipefail

cd "$(dirname "$0")/.."
prefix=.hub-tools
local_proxy=$prefix/node_modules/.bin/configurable-http-proxy

if command -v configurable-http-proxy >/dev/null; then
    echo "==> hub proxy: configurable-http-proxy is on PATH"
    exit 0
fi
if [ -x "$local_proxy" ]; then
    echo "==> hub proxy: configurable-http-proxy is installed in $prefix/"
    exit 0
fi
if ! command -v npm >/dev/null; then
    echo "==> hub proxy: notice: npm is missing, so configurable-http-proxy is not installed; the hub test will be skipped"
    exit 0
fi
echo "==> hub proxy: installing configurable-http-proxy with npm into $prefix/ (about a minute the first time)"
if ! npm install --silent --no-audit --no-fund --prefix "$prefix" configurable-http-proxy; then
    echo "==> hub proxy: notice: npm could not install configurable-http-proxy (no network? npm needs the npm registry); the hub test will be skipped"
fi
