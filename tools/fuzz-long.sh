#!/usr/bin/env bash
# Long fuzzing, not part of CI (docs/fuzzing.md; aim: every target >= 10 M executions once per
# release, none crashing). Runs each fuzz target in turn (one at a time) for the given time, then
# merges what found new coverage into the target's kept corpus, checked in at the CORPUS dir of
# its kiosk_add_fuzzer() (tests/<area>/corpus/<target>/, listed in <build>/fuzzers.txt; CI
# replays it, tools/fuzz-smoke.sh).
#
# The kept corpus holds two kinds of file:
#   named files (valid.bundle, trusted-key-empty, ...)  hand-made seeds; never touched here
#   files named by 40 hex digits (their SHA-1)          inputs fuzzing found; re-minimised on
#       every run: libFuzzer's -merge=1 keeps the fewest of the old ones and this run's finds
#       that cover every feature the seeds do not.
#
# Prints per target: executions and exec/s, coverage at the end of the run (cov = edges,
# ft = features, libFuzzer's figures), the kept corpus (seeds + found) and its coverage, crashes.
# The table also goes to <build>/fuzz-long.txt. Exits 1 if a target crashed (the input is in
# <build>/artifacts-long/<target>/; libFuzzer stops a target at its first crash).
#
#   tools/fuzz-long.sh [seconds per target: 600] [build dir: build/fuzz] [target...]
#   (targets by name, e.g. update_bundle or fuzz_update_bundle; default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/sanitizer-reports.sh

seconds=${1:-600}
build=${2:-build/fuzz}
shift $(($# > 2 ? 2 : $#))
want=("$@")

if [[ "$build" == build/fuzz && ! -f build/fuzz/CMakeCache.txt ]]; then
    cmake --preset fuzz >/dev/null
fi
[[ -f "$build/CMakeCache.txt" ]] || {
    echo "no fuzz build in $build (the 'fuzz' preset, or -DKIOSK_FUZZ=ON with clang)" >&2
    exit 2
}
cmake --build "$build" --target fuzzers
export UBSAN_OPTIONS=$kiosk_ubsan_options
flags=(-rss_limit_mb=2048 -timeout=20)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
summary=$build/fuzz-long.txt
printf '| target | seconds | executions | exec/s | run cov | run ft | kept corpus (seeds + found) | corpus cov | corpus ft | crashes |\n|---|---|---|---|---|---|---|---|---|---|\n' >"$summary"
failed=0

is_found() { [[ "$(basename "$1")" =~ ^[0-9a-f]{40}$ ]]; }
# cov_ft <log> <stage word>: "cov ft" of the last libFuzzer status line with that word
cov_ft() {
    grep -a -E "^#[0-9]+[[:space:]]+$2 " "$1" | tail -n 1 |
        sed -n -E 's/.* cov: ([0-9]+) ft: ([0-9]+).*/\1 \2/p'
}

while read -r exe corpus; do
    name=${exe#fuzz_}
    if ((${#want[@]})); then
        hit=0
        for w in "${want[@]}"; do [[ "$w" == "$name" || "$w" == "$exe" ]] && hit=1; done
        ((hit)) || continue
    fi
    bin=$(find "$build" -name "$exe" -type f -executable | head -n 1)
    [[ -n "$bin" ]] || { echo "FAIL: $exe is not built in $build" >&2; exit 1; }
    if [[ "$corpus" == "-" ]]; then
        corpus=$PWD/tests/fuzz/corpus/$name
        echo "note: $exe has no CORPUS in its kiosk_add_fuzzer(); keeping it in $corpus," \
            "which CI does not replay until it is named there"
    fi
    mkdir -p "$corpus"
    art=$build/artifacts-long/$exe
    rm -rf "$art" "$tmp"/*
    mkdir -p "$art" "$tmp/found" "$tmp/seeds" "$tmp/old" "$tmp/merged"
    log=$build/$exe.long.log

    # The run: new inputs go to found/, the kept corpus is read only.
    echo "fuzz-long: $exe for ${seconds}s from ${corpus#"$PWD"/}"
    rc=0
    nice "$bin" "${flags[@]}" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$art/" "$tmp/found" "$corpus" </dev/null >"$log" 2>&1 || rc=$?
    crashes=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) | wc -l)
    reports=0
    kiosk_scan_sanitizer_reports "long fuzz log of $exe" "$log" >/dev/null 2>&1 || reports=1
    if [[ $rc != 0 || $crashes != 0 || $reports != 0 ]]; then
        failed=1
        ((crashes)) || crashes=1
        echo "FAIL: $exe exit $rc; log $log; inputs in $art/" >&2
        tail -n 30 "$log" >&2
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    read -r run_cov run_ft <<<"$(cov_ft "$log" DONE)" || true
    if [[ -z "${run_cov:-}" ]]; then read -r run_cov run_ft <<<"$(cov_ft "$log" '[A-Z]+')" || true; fi

    # The merge: seeds first (their features count as covered), then the old found inputs and
    # this run's; what merge adds to merged/ is the new found set.
    for f in "$corpus"/*; do
        [[ -f "$f" ]] || continue
        if is_found "$f"; then cp "$f" "$tmp/old/"; else cp "$f" "$tmp/seeds/"; fi
    done
    cp -r "$tmp/seeds/." "$tmp/merged/"
    if nice "$bin" "${flags[@]}" -merge=1 -artifact_prefix="$art/merge-" "$tmp/merged" \
        "$tmp/old" "$tmp/found" </dev/null >"$log.merge" 2>&1; then
        for f in "$corpus"/*; do is_found "$f" && rm -f "$f"; done
        for f in "$tmp/merged"/*; do
            [[ -f "$f" ]] && is_found "$f" && cp "$f" "$corpus/"
        done
    else
        echo "FAIL: $exe merge (log $log.merge); the kept corpus is unchanged" >&2
        failed=1
    fi
    seeds=$(find "$tmp/seeds" -type f | wc -l)
    kept=$(find "$corpus" -type f | wc -l)

    # The kept corpus's coverage: one replay of it.
    nice "$bin" "${flags[@]}" -runs=0 "$corpus" </dev/null >"$log.replay" 2>&1 || {
        echo "FAIL: $exe replay of its kept corpus (log $log.replay)" >&2
        failed=1
    }
    read -r c_cov c_ft <<<"$(cov_ft "$log.replay" INITED)" || true

    line="| $name | $seconds | ${execs:-?} | ${rate:-?} | ${run_cov:-?} | ${run_ft:-?} | $seeds + $((kept - seeds)) | ${c_cov:-?} | ${c_ft:-?} | $crashes |"
    echo "$line" >>"$summary"
    echo "fuzz-long: $exe: ${execs:-?} executions (${rate:-?}/s), run cov ${run_cov:-?} ft ${run_ft:-?};" \
        "kept corpus $seeds seeds + $((kept - seeds)) found, cov ${c_cov:-?} ft ${c_ft:-?}; crashes $crashes"
    unset run_cov run_ft c_cov c_ft
done <"$build/fuzzers.txt"

echo
cat "$summary"
exit "$failed"
