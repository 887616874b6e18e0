#!/bin/sh
# The hall contract's reference page (docs/api/hall.html) in a real headless Chromium: it loads,
# its script ran and listed every operation of docs/api/hall.yaml, and nothing reached the
# console; a copy with a planted script error must be caught, so the console check is shown to
# work. Saves a screenshot in OUT_DIR (default: a temp dir). Exit 77 (skip) without chromium.
# Usage: tools/contract/check-reference.sh [OUT_DIR]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
page="$root/docs/api/hall.html"
out=${1:-$(mktemp -d)}
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "check-reference: SKIP: chromium is not installed (tools/install-deps.sh installs it)"
    exit 77
fi
py=$(command -v python3)
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
run() {  # run PAGE DOM_OUT LOG_OUT
    timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$profile" --enable-logging=stderr --v=0 \
        --virtual-time-budget=3000 --dump-dom "file://$1" > "$2" 2> "$3"
}
run "$page" "$out/dom.html" "$out/console.log"
# Every operationId of the contract is listed, the script ran (data-ready = operation count).
"$py" - "$root/docs/api/hall.yaml" "$out/dom.html" <<'PY'
import re, sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
ids = [op["operationId"] for item in doc["paths"].values() for m, op in item.items()
       if m in ("get", "post", "put", "patch", "delete")]
dom = open(sys.argv[2], encoding="utf-8").read()
listed = set(re.findall(r'data-operation="([^"]+)"', dom))
missing = [i for i in ids if i not in listed or f'href="#op-{i}"' not in dom]
ready = re.search(r'data-ready="(\d+)"', dom)
if missing:
    sys.exit(f"check-reference: operations not listed: {missing}")
if not ready or int(ready.group(1)) != len(ids):
    sys.exit(f"check-reference: the page's script did not run over {len(ids)} operations")
print(f"check-reference: {len(ids)} of {len(ids)} operations listed, script ran")
PY
if grep -E 'CONSOLE|Uncaught' "$out/console.log"; then
    echo "check-reference: the page wrote to the console (above)" >&2
    exit 1
fi
echo "check-reference: no console messages"
# The console check catches a script error: plant one in a copy.
sed 's|</body>|<script>reference_planted_error();</script></body>|' "$page" > "$profile/planted.html"
run "$profile/planted.html" "$profile/planted.dom" "$profile/planted.log" || true
if ! grep -q 'reference_planted_error' "$profile/planted.log"; then
    echo "check-reference: a planted script error did not show on the console" >&2
    exit 1
fi
echo "check-reference: a planted script error is caught: $(grep -m1 -o 'Uncaught[^"]*' "$profile/planted.log")"
timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$profile" --window-size=1280,2000 --screenshot="$out/hall-reference.png" \
    "file://$page" > /dev/null 2>&1
test -s "$out/hall-reference.png"
echo "check-reference: screenshot $out/hall-reference.png"
