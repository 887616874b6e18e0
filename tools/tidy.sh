#!/usr/bin/env bash
# clang-tidy (the repository's .clang-tidy) over the C++ files a change touches, with the compile
# commands of a configured build. Any finding fails (exit 1).
#   tools/tidy.sh [BUILD_DIR] [BASE]
# BASE: the commit the change is measured from; default: the merge-base with origin/main when
# there is one, else HEAD~1 (CI's clean clone: the last commit). Uncommitted changes count too.
# Headers are checked through the files that include them (HeaderFilterRegex).
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
mapfile -t changed < <({ git diff --name-only --diff-filter=d "$base" -- '*.cpp' '*.hpp';
                         git ls-files --others --exclude-standard -- '*.cpp' '*.hpp'; } | sort -u)
# A changed header is checked through the .cpp files in its directory that include it.
files=()
for f in "${changed[@]}"; do
  [[ -f "$f" ]] || continue
  case "$f" in
    *.cpp) files+=("$f") ;;
    *.hpp)
      h=$(basename "$f")
      while IFS= read -r c; do files+=("$c"); done < <(grep -l "\"[^\"]*$h\"" "$(dirname "$f")"/*.cpp 2>/dev/null || true) ;;
  esac
done
# Only files the build compiles (others: fuzzers of another preset, scripts' snippets).
mapfile -t files < <(printf '%s\n' "${files[@]}" | sort -u | while IFS= read -r f; do
  grep -q "\"file\": \"$(pwd)/$f\"" "$build/compile_commands.json" && echo "$f"; done || true)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "tidy: no compiled C++ file changed since ${base:-the start}"
  exit 0
fi
echo "tidy: ${#files[@]} file(s) changed since ${base:0:12}"
rc=0
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet 2>/dev/null || rc=1
[[ $rc -eq 0 ]] && echo "tidy: clean" || echo "tidy: findings above (fix them, or argue a check out of .clang-tidy)"
exit $rc
