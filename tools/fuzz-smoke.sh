#!/usr/bin/env bash
# The CI fuzz step (tools/test.sh runs it after building the fuzz preset). For every target in
# <build>/fuzzers.txt ("fuzz_<name> <corpus dir or ->", written by kiosk_add_fuzzer):
#   1. replay: every input of its checked-in corpus runs once (-runs=0); a crash fails the step;
#   2. smoke: fuzz for a bounded time from a scratch copy of that corpus (what it finds is thrown
#      away; tools/fuzz-long.sh is the long run that keeps new coverage in the corpus).
# Any sanitizer report fails the step, whatever the exit status: UBSan halts on its first report
# (UBSAN_OPTIONS here, and the fuzz build compiles with -fno-sanitize-recover=undefined, see
# cmake/KioskWarnings.cmake), and every log is scanned (tools/sanitizer-reports.sh).
# Logs: <build>/<target>.log. Crashing inputs: <build>/artifacts/<target>/ (reproduce with
# `<fuzzer binary> <that file>`).
#
#   tools/fuzz-smoke.sh [build dir: build/fuzz] [seconds per target: 10]
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/sanitizer-reports.sh

build=${1:-build/fuzz}
seconds=${2:-10}
if [[ ! -s "$build/fuzzers.txt" ]]; then
    echo "fuzz: no targets listed in $build/fuzzers.txt"
    exit 0
fi
export UBSAN_OPTIONS=$kiosk_ubsan_options

work=""
trap '[[ -n "$work" ]] && rm -rf "$work"' EXIT

# run <target> <binary> <libFuzzer args...>: appends to the target's log; a non-zero exit or a
# sanitizer report in the log ends the step.
run() {
    local exe=$1 bin=$2 rc=0 reports=0
    shift 2
    "$bin" -rss_limit_mb=2048 -artifact_prefix="$build/artifacts/$exe/" "$@" \
        </dev/null >>"$build/$exe.log" 2>&1 || rc=$?
    kiosk_scan_sanitizer_reports "fuzz log of $exe" "$build/$exe.log" || reports=1
    if [[ $rc != 0 || $reports != 0 ]]; then
        tail -n 40 "$build/$exe.log"
        echo "FAIL: $exe (exit $rc); log $build/$exe.log, inputs in $build/artifacts/$exe/" >&2
        exit 1
    fi
}

while read -r exe corpus; do
    bin=$(find "$build" -name "$exe" -type f -executable | head -n 1)
    [[ -n "$bin" ]] || { echo "FAIL: $exe is not built in $build" >&2; exit 1; }
    : >"$build/$exe.log"
    rm -rf "$build/artifacts/$exe"
    mkdir -p "$build/artifacts/$exe"
    work=$(mktemp -d)
    if [[ "$corpus" != "-" && -d "$corpus" ]]; then
        echo "fuzz: $exe replays its corpus ${corpus#"$PWD"/} ($(find "$corpus" -type f | wc -l) inputs)"
        run "$exe" "$bin" -runs=0 "$corpus"
        cp -r "$corpus"/. "$work"/
    fi
    echo "fuzz: $exe for ${seconds}s"
    run "$exe" "$bin" -max_total_time="$seconds" -print_final_stats=0 "$work"
    rm -rf "$work"
    work=""
done <"$build/fuzzers.txt"
