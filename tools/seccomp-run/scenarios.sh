#!/usr/bin/env bash
# The kiosk-demo scenarios under the main unit's system call filter, enforced by seccomp-run
# (docs/packaging.md, "The filter, enforced"). Each run is ctest's ui.scenario.* (and, with
# --elder, ui.scenario_elder.*) command line and environment, prefixed with seccomp-run.
#
#   scenarios.sh [--log] [--elder] [--x11] [--as-nobody] SECCOMP_RUN KIOSK_DEMO WORK_DIR [SCENARIO...]
#
# SCENARIO: names in tests/scenarios (default: all). --log: every refused call is printed (and
# still refused). --as-nobody (root only): runs as nobody, as the units run as their own user.
# --x11: SDL's X11 driver on an Xvfb (started outside the filter) instead of the offscreen
# driver: the kiosk's side of estation-kiosk-x11.service (SDL_VIDEODRIVER=x11).
# A failed scenario is run again under --log, and the calls the filter refused are printed.
# Prints one line per run and "N passed, N failed"; exits 1 if any failed, 77 if it cannot run.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
log=() elder=0 as=() x11=0
while [[ ${1:-} == --* ]]; do
    case $1 in
    --log) log=(--log) ;;
    --elder) elder=1 ;;
    --x11) x11=1 ;;
    --as-nobody) [[ $(id -u) -ne 0 ]] || as=(setpriv --reuid=nobody --regid=nogroup --clear-groups) ;;
    *) echo "scenarios.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
run=${1:?seccomp-run} demo=${2:?kiosk-demo} work=${3:?work dir}
shift 3
unit=$src/packaging/systemd/estation-kiosk.service
[[ -x "$run" ]] || { echo "scenarios.sh: SKIP: no seccomp-run (libseccomp-dev missing at build time)"; exit 77; }
[[ -x "$demo" ]] || { echo "scenarios.sh: SKIP: no kiosk-demo at $demo"; exit 77; }
command -v systemd-analyze >/dev/null || { echo "scenarios.sh: SKIP: no systemd-analyze"; exit 77; }

video=(SDL_VIDEODRIVER=offscreen)
if [[ $x11 -eq 1 ]]; then
    command -v Xvfb >/dev/null || { echo "scenarios.sh: SKIP: no Xvfb (apt install xvfb)"; exit 77; }
    # The first free display from :80 (others' Xvfb may hold some).
    display=${KIOSK_FILTER_DISPLAY:-}
    if [[ -z "$display" ]]; then
        for n in $(seq 80 99); do
            [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]] || { display=$n; break; }
        done
    fi
    Xvfb ":$display" -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    trap 'kill $xvfb 2>/dev/null || true' EXIT
    for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.1; done
    [[ -e /tmp/.X11-unix/X$display ]] || { echo "scenarios.sh: Xvfb :$display did not start" >&2; exit 1; }
    video=(SDL_VIDEODRIVER=x11 DISPLAY=":$display")
fi
rm -rf "$work"
mkdir -p "$work"
[[ ${#as[@]} -eq 0 ]] || chown nobody:nogroup "$work"
"$src/tools/seccomp-run/unit-filter.sh" "$unit" >"$work/allowed"
"$src/tools/seccomp-run/unit-filter.sh" --known >"$work/known"
err=$("$src/tools/seccomp-run/unit-filter.sh" --errno "$unit")
filter=(--known "$work/known")
[[ -z "$err" ]] || filter+=(--errno "$err")
action="kill the process (SIGSYS)"
[[ -z "$err" ]] || action="fail with $err"
echo "filter of $(basename "$unit"): $(wc -l <"$work/allowed") calls allowed; the others $action; video: ${video[*]}"

names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
    for s in "$src"/tests/scenarios/*.toml; do names+=("$(basename "$s" .toml)"); done
fi

# run NAME VARIANT [--log]: one scenario run; prints its status.
run_one() {
    local name=$1 variant=$2 l=${3:-} s=$src/tests/scenarios/$1.toml
    local tag=$name${variant:+-$variant} state shots
    [[ $x11 -eq 0 ]] || tag=$tag-x11
    state=$work/state/$tag
    shots=$work/shots/$tag
    local env=(ASAN_OPTIONS=detect_leaks=0 "${video[@]}" TZ=Asia/Shanghai KIOSK_STATE_DIR="$state" HOME="$work")
    local cmd
    if [[ $variant == elder ]]; then
        env+=(KIOSK_SCENARIO_ELDER=1)
        cmd=(sh -c 'rm -rf $2 && exec $0 --config $4 --scenario $1 --screenshots $3' "$demo" "$s" "$state" "$shots"
            "$src/tests/ui/data/elder.toml")
    else
        cmd=(sh -c 'rm -rf $2 && exec $0 --scenario $1 --screenshots $3' "$demo" "$s" "$state" "$shots")
    fi
    env "${env[@]}" timeout 300 "${as[@]}" "$run" "${filter[@]}" ${l:+"$l"} "$work/allowed" -- "${cmd[@]}" \
        >"$work/$tag.log" 2>&1
}

pass=0 failed=0 failures=()
for name in "${names[@]}"; do
    [[ -f "$src/tests/scenarios/$name.toml" ]] || { echo "scenarios.sh: no scenario $name" >&2; exit 2; }
    variants=("")
    [[ $elder -eq 0 ]] || variants+=(elder)
    for v in "${variants[@]}"; do
        tag=$name${v:+-$v}
        [[ $x11 -eq 0 ]] || tag=$tag-x11
        rc=0
        run_one "$name" "$v" "${log[@]}" || rc=$?
        refused=$(grep -o 'refused [a-z0-9_]*' "$work/$tag.log" | sort | uniq -c | awk '{ printf "%s%s×%s", sep, $3, $1; sep=" " }' || true)
        if [[ $rc -eq 0 ]]; then
            pass=$((pass + 1))
            echo "PASS $tag${refused:+  (refused: $refused)}"
        else
            failed=$((failed + 1))
            failures+=("$tag")
            why="exit $rc"
            [[ $rc -ne 159 ]] || why="killed by SIGSYS"
            echo "FAIL $tag ($why)"
            grep -v 'seccomp-run: note:' "$work/$tag.log" | tail -n 5 | sed 's/^/    /'
            if [[ ${#log[@]} -eq 0 ]]; then
                mv "$work/$tag.log" "$work/$tag.enforced.log"
                run_one "$name" "$v" --log || true
                echo "    refused under --log: $(grep -o 'refused .*' "$work/$tag.log" | sort | uniq -c | head -n 20 | tr '\n' ';')"
            fi
        fi
    done
done
[[ ${#failures[@]} -eq 0 ]] || echo "failed under the filter: ${failures[*]}"
echo "$pass passed, $failed failed"
[[ $failed -eq 0 ]]
