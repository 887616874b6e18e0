#!/usr/bin/env bash
# clang-tidy (the repository's .clang-tidy) over the lines a change touches, with the compile
# commands of a configured build: clang-tidy-diff runs clang-tidy on each changed .cpp file and
# reports only findings on changed lines. Any finding fails (exit 1).
#   tools/tidy.sh [BUILD_DIR] [BASE]
# BASE: the commit the change is measured from; default: the merge-base with origin/main when
# there is one, else HEAD~1 (CI's clean clone: the last commit). Uncommitted changes count too.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}
base=${2:-}
if [[ -z "$base" ]]; then
  base=$(git merge-base HEAD origin/main 2>/dev/null || true)
  [[ -z "$base" || "$base" == "$(git rev-parse HEAD)" ]] && base=$(git rev-parse -q --verify HEAD~1 || true)
  if [[ -z "$base" ]]; then
    echo "tidy: no commit to compare with (a shallow clone of one commit): nothing checked"
    exit 0
  fi
fi
[[ -f "$build/compile_commands.json" ]] || { echo "tidy: no $build/compile_commands.json"; exit 2; }
diff_tool=$(command -v clang-tidy-diff-14.py || command -v clang-tidy-diff || true)
[[ -n "$diff_tool" ]] || { echo "tidy: clang-tidy-diff not found (package clang-tidy)"; exit 2; }
# Only files the build compiles (fuzzers of another preset, snippets: not checked here).
mapfile -t files < <(git diff --name-only --diff-filter=d "$base" -- '*.cpp' | while IFS= read -r f; do
  grep -q "\"file\": \"$(pwd)/$f\"" "$build/compile_commands.json" && echo "$f"; done || true)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "tidy: no compiled C++ file changed since ${base:0:12}"
  exit 0
fi
echo "tidy: ${#files[@]} changed file(s) since ${base:0:12}"
out=$(git diff -U0 "$base" -- "${files[@]}" |
      "$diff_tool" -p1 -path "$build" -quiet -j "$(nproc)" 2>/dev/null || true)
if grep -qE "(warning|error): " <<<"$out"; then
  echo "$out" | grep -E -A3 "(warning|error): "
  echo "tidy: $(grep -cE '(warning|error): ' <<<"$out") finding(s) on changed lines (fix them, or argue a check out of .clang-tidy)"
  exit 1
fi
echo "tidy: clean"
