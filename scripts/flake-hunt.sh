#!/usr/bin/env bash
# The flake hunt: tests run RUNS times in a row (pytest-repeat) while three CPU burners
# keep every core busy, as on a loaded CI machine; prints the failures, if any.
#
#   scripts/flake-hunt.sh [RUNS] [PYTEST ARGS...]    (default: 20, the tests below)
#
# The default set is every test of real threads, processes, timers or the kernel's view
# (the notebooks, the browser, grading and SPIN excepted: each of those runs them once;
# test_original.py's tests skip themselves where Go is not installed).
# The burners are this script's children and end with it, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
shift || true
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
    tests=(tests/test_wild_kernel.py tests/test_wild_pipes.py tests/test_wild_watch.py
           tests/test_wild_grpc.py tests/test_wild_processes.py tests/test_wild_live.py
           tests/test_stacks.py tests/test_runtime.py tests/test_interrupts.py tests/test_live.py
           tests/test_sync.py tests/test_chan.py tests/test_handoff.py tests/test_scenarios.py
           tests/test_dining.py tests/test_views_control_room.py tests/test_bad_input.py
           tests/test_cli.py tests/test_dining_cli.py tests/test_original.py)
fi
burners=()
stop_burners() { for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_burners EXIT
for _ in 1 2 3; do
    python3 -c 'while True: pass' &
    burners+=($!)
done
echo "==> flake hunt: ${tests[*]} x $runs under three CPU burners (pids ${burners[*]})"
.venv/bin/python -m pytest -p repeat --count "$runs" -q -rfE -p no:cacheprovider "${tests[@]}"
