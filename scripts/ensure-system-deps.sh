#!/usr/bin/env bash
# Install the Debian packages the course needs, only those that are missing.
#
#   scripts/ensure-system-deps.sh python3-venv graphviz chromium
#
# Known packages and why they are needed:
#   python3-venv  `python3 -m venv` (Debian ships venv without ensurepip)   required
#   graphviz      the `dot` binary for wait-for graph drawings              optional:
#                 the views fall back to a plain drawing without it
#   chromium      the real-browser test (Playwright drives /usr/bin/chromium) required
#   spin          SPIN, and a C compiler for the verifier it writes         optional:
#                 benchmarks/explore_vs_spin.py needs it; without it
#                 tests/test_spin_agreement.py is skipped
#
# Installs with apt-get as root, or through sudo when not root; `apt-get update`
# runs once, and only when something is missing. When installing is impossible,
# prints one line saying what to install: a missing optional package is a notice,
# a missing required one makes the script exit 1.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

is_present() {
    case "$1" in
        python3-venv) python3 -c 'import ensurepip, venv' 2>/dev/null ;;
        graphviz) command -v dot >/dev/null ;;
        chromium) [ -x "$CHROMIUM" ] ;;
        spin) command -v spin >/dev/null && command -v cc >/dev/null ;;
        *) echo "ensure-system-deps: unknown package '$1'" >&2; exit 2 ;;
    esac
}

is_optional() {
    [ "$1" = graphviz ] || [ "$1" = spin ]
}

# The Debian packages behind an entry: SPIN writes its verifier in C, so it needs a
# compiler (Debian's spin does not depend on one).
apt_packages() {
    case "$1" in
        spin) echo spin gcc libc6-dev ;;
        *) echo "$1" ;;
    esac
}

missing=()
for package in "$@"; do
    is_present "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    as_root=(none)
fi

if [ "${as_root[*]-}" != none ] && command -v apt-get >/dev/null; then
    echo "ensure-system-deps: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq || true
    packages=()
    for package in "${missing[@]}"; do
        read -ra names <<<"$(apt_packages "$package")"
        packages+=("${names[@]}")
    done
    "${as_root[@]}" apt-get install -y -qq "${packages[@]}" || true
fi

status=0
for package in "${missing[@]}"; do
    is_present "$package" && continue
    if is_optional "$package"; then
        echo "ensure-system-deps: notice: '$package' is not installed (install it with: sudo apt-get install $(apt_packages "$package")); continuing without it"
    else
        echo "ensure-system-deps: error: '$package' is required and not installed; install it with: sudo apt-get install $(apt_packages "$package")" >&2
        status=1
    fi
done
exit $status
