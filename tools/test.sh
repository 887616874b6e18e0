#!/usr/bin/env bash
# Installs what is missing, builds under ASan+UBSan, runs every fuzz target for a bounded time,
# then the whole test suite (ctest; each doctest case is its own test, named by area).
# Needs no display: UI tests use SDL's offscreen driver, scenario tests start their own Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

tools/install-deps.sh

cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"

# clang-tidy (.clang-tidy's agreed checks) on the C++ files this change touches; a finding fails.
tidy_rc=0
tools/tidy.sh build/asan || tidy_rc=1

# Fuzz smoke: every parser of outside bytes replays its checked-in corpus and gets a short,
# bounded libFuzzer run on every build (tools/fuzz-smoke.sh; the long run is tools/fuzz-long.sh).
fuzz_seconds=${KIOSK_FUZZ_SECONDS:-10}
if [[ "$fuzz_seconds" != 0 ]]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  tools/fuzz-smoke.sh build/fuzz "$fuzz_seconds"
fi

# Every sanitizer report fails the run: the asan build halts on one (-fno-sanitize-recover, the
# preset's UBSAN_OPTIONS), and ctest's LastTest.log, which holds every test's whole output (of
# passing tests too, and of the programs a test starts when they write to its stderr), is scanned.
source tools/sanitizer-reports.sh
rc=0
ctest --preset asan -j "$jobs" || rc=$?
kiosk_scan_sanitizer_reports "test output" build/asan/Testing/Temporary/LastTest.log || rc=1
[[ $tidy_rc -eq 0 ]] || { echo "test.sh: clang-tidy findings (above) fail the run"; rc=1; }
exit "$rc"
