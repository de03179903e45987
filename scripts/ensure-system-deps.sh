#!/usr/bin/env bash
# Install the Debian packages the course needs, only those that are missing, saying
# what it does and what to do when it cannot.
#
#   scripts/ensure-system-deps.sh python3-venv graphviz chromium
#
# Known packages and why they are needed:
#   python3-venv  `python3 -m venv` (Debian ships venv without ensurepip)   required
#   graphviz      the `dot` binary for wait-for graph drawings              optional:
#                 the views fall back to a plain drawing without it
#   chromium      the real-browser test (Playwright drives /usr/bin/chromium) required
#   spin          SPIN, and C compilers for the verifier it writes: gcc,     optional:
#                 and tcc, which builds the SPIN test's 171 verifiers in
#                 a twentieth of gcc's time; benchmarks/explore_vs_spin.py
#                 needs it; without it tests/test_spin_agreement.py is
#                 skipped
#   go            Go 1.19, gRPC for Go, protoc and its Go plugins, a C      optional:
#                 compiler: to build original/ (the Go shim, cgo)          runtime go and
#                                                                          its tests need it
#   npm           node and npm, to install configurable-http-proxy, the     optional:
#                 JupyterHub proxy (scripts/ensure-hub-proxy.sh)            without it
#                 tests/test_hub.py is skipped
#
# Installs with apt-get as root, or through sudo when not root; `apt-get update`
# runs once, and only when something is missing. When installing is impossible,
# prints what to install: a missing optional package is a notice, a missing
# required one makes the script exit 1.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

is_present() {
    case "$1" in
        python3-venv) python3 -c 'import ensurepip, venv' 2>/dev/null ;;
        graphviz) command -v dot >/dev/null ;;
        chromium) [ -x "$CHROMIUM" ] ;;
        spin) command -v spin >/dev/null && command -v cc >/dev/null && command -v tcc >/dev/null ;;
        go) for tool in go protoc protoc-gen-go protoc-gen-go-grpc cc; do
                command -v "$tool" >/dev/null || return 1
            done
            [ -d /usr/share/gocode/src/google.golang.org/grpc ] \
                && [ -f /usr/share/gocode/src/github.com/golang/protobuf/proto/registry.go ] ;;
        npm) command -v node >/dev/null && command -v npm >/dev/null ;;
        *) echo "ensure-system-deps: unknown package '$1'" >&2; exit 2 ;;
    esac
}

why() {
    case "$1" in
        python3-venv) echo "to create .venv" ;;
        graphviz) echo "to draw wait-for graphs" ;;
        chromium) echo "for the real-browser test" ;;
        spin) echo "to compare the explorer with SPIN" ;;
        go) echo "to build the original Go shim (original/)" ;;
        npm) echo "to install JupyterHub's proxy for the class-on-a-hub test" ;;
    esac
}

is_optional() {
    [ "$1" = graphviz ] || [ "$1" = spin ] || [ "$1" = npm ] || [ "$1" = go ]
}

# The Debian packages behind an entry: SPIN writes its verifier in C, so it needs a
# compiler (Debian's spin does not depend on one; tcc only builds it sooner).
apt_packages() {
    case "$1" in
        spin) echo spin gcc tcc libc6-dev ;;
        # gRPC 1.33 marshals through github.com/golang/protobuf: its 1.5 package (on the
        # new protobuf API, what protoc-gen-go 1.28 writes), not the 1.3 apt would pick.
        go) echo golang-go golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev \
                 golang-google-protobuf-dev protobuf-compiler protoc-gen-go protoc-gen-go-grpc \
                 gcc libc6-dev ;;
        npm) echo nodejs npm ;;
        *) echo "$1" ;;
    esac
}

missing=()
for package in "$@"; do
    is_present "$package" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "==> system packages: $* installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
    echo "==> system packages: sudo may ask for your password"
else
    as_root=(none)
fi

if [ "${as_root[*]-}" = none ]; then
    echo "==> system packages: ${missing[*]} missing, and there is neither root nor sudo to install them"
elif ! command -v apt-get >/dev/null; then
    echo "==> system packages: ${missing[*]} missing, and there is no apt-get (not Debian or Ubuntu)"
else
    for package in "${missing[@]}"; do
        echo "==> system packages: installing $package $(why "$package") with apt-get (usually under a minute)"
    done
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq \
        || echo "    apt-get update failed: no network? apt-get needs to reach the Debian or Ubuntu mirrors"
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
        echo "ensure-system-deps: notice: '$package' is not installed (an administrator can install it with: apt-get install $(apt_packages "$package")); continuing without it"
    else
        echo "ensure-system-deps: error: '$package' is required ($(why "$package")) and not installed." >&2
        echo "  Ask an administrator to run: apt-get install $(apt_packages "$package")" >&2
        [ "$package" != python3-venv ] \
            || echo "  or, without one, take the conda route in the README (conda env create -f environment.yml)." >&2
        status=1
    fi
done
exit $status
