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

# Fuzz smoke: every parser of outside bytes gets a short, bounded libFuzzer run on every build.
fuzz_seconds=${KIOSK_FUZZ_SECONDS:-10}
if [[ "$fuzz_seconds" != 0 ]]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  if [[ -s build/fuzz/fuzzers.txt ]]; then
    while read -r exe corpus; do
      work=$(mktemp -d)
      [[ "$corpus" != "-" && -d "$corpus" ]] && cp -r "$corpus"/. "$work"/
      echo "fuzz: $exe for ${fuzz_seconds}s"
      find build/fuzz -name "$exe" -type f -executable | head -n 1 | {
        read -r bin
        "$bin" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -print_final_stats=0 \
          "$work" >"build/fuzz/$exe.log" 2>&1 || { tail -n 40 "build/fuzz/$exe.log"; exit 1; }
      }
      rm -rf "$work"
    done < build/fuzz/fuzzers.txt
  fi
fi

ctest --preset asan -j "$jobs"
