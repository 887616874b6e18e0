#!/usr/bin/env bash
# Installs what is missing, builds, and starts the kiosk demo on its embedded defaults: simulated
# devices and the local hall simulator.
#  - With a display ($DISPLAY or $WAYLAND_DISPLAY): a window at half size you can click through.
#    Stop it with Ctrl+C in this terminal (nothing on the kiosk screen quits it, on purpose).
#  - Without one: it starts Xvfb with a 1080×1920 screen, plays the demo tour
#    (tests/scenarios/demo.toml) through the real renderer and prints where the screenshots went.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

tools/install-deps.sh
cmake --preset default >/dev/null
# Only the demo program and what it links (not the tests, benchmarks and tools that
# ./tools/test.sh builds in build/asan under the sanitizers: the two share no objects).
cmake --build --preset default -j "$(nproc)" --target kiosk-demo

export TZ=${TZ:-Asia/Shanghai}
export KIOSK_STATE_DIR=${KIOSK_STATE_DIR:-$root/build/demo-state}
kiosk=build/default/sim/demo/kiosk-demo  # the production `kiosk` runs no simulators

if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
  exec "$kiosk" --config config/demo-window.toml
fi

shots=$root/build/demo-screenshots
rm -rf "$shots"
display_num=${KIOSK_DEMO_DISPLAY:-97}
Xvfb ":$display_num" -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$display_num ]] && break; sleep 0.1; done
DISPLAY=":$display_num" "$kiosk" --scenario tests/scenarios/demo.toml --screenshots "$shots"
echo
echo "demo: no display here, so the kiosk ran under Xvfb (1080x1920) and played its demo tour."
echo "demo: screenshots are in $shots:"
ls -1 "$shots"
