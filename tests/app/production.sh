#!/bin/sh
# The production `kiosk` program and the demo (issue #19, "Simulators belong to the demo"):
#   symbols   nm finds no simulator, HTTP-server or scenario-runner symbol in `kiosk`, and finds
#             them in `kiosk-demo` (so the patterns below are known to match something real).
#   refuse    `kiosk` with no configuration file, or with a "sim:" setting, exits 78 naming the
#             settings; with real settings its --check-config passes; kiosk-demo accepts both.
# usage: production.sh symbols|refuse KIOSK KIOSK_DEMO DATA_DIR
set -u
what=$1 kiosk=$2 demo=$3 data=$4
fail() { echo "FAIL: $*"; exit 1; }
case $what in
symbols)
  # Demangled names of the simulators (sim/), cpp-httplib's server, and the scenario runner.
  pattern='hallsim::|IdCardSimulator|printersim::|locker::sim::|scanner::sim::|ScannerSim|ddisim::|httplib::Server|run_scenario'
  p=$(nm -C "$kiosk" | grep -cE "$pattern")
  d=$(nm -C "$demo" | grep -cE "$pattern")
  echo "simulator/server symbols: kiosk $p, kiosk-demo $d"
  echo "size: kiosk $(stat -c %s "$kiosk") bytes, kiosk-demo $(stat -c %s "$demo") bytes"
  [ "$p" -eq 0 ] || { nm -C "$kiosk" | grep -E "$pattern" | head; fail "kiosk links simulators"; }
  [ "$d" -gt 0 ] || fail "the pattern matches nothing in kiosk-demo either: it checks nothing"
  ;;
refuse)
  out=$("$kiosk" --check-config 2>&1); rc=$?
  [ $rc -eq 78 ] || fail "no configuration: exit $rc, want 78"
  echo "$out" | grep -q "no configuration file" || fail "no configuration: message '$out'"
  out=$("$kiosk" --check-config --config "$data/production-sim.toml" 2>&1); rc=$?
  [ $rc -eq 78 ] || fail "sim settings: exit $rc, want 78"
  echo "$out" | grep -q 'devices.idcard = "sim:idcard"' || fail "idcard not named: '$out'"
  echo "$out" | grep -q 'backend.url = "sim:"' || fail "backend.url not named: '$out'"
  echo "$out" | grep -q 'devices.printer' && fail "a setting that is fine was named: '$out'"
  out=$("$kiosk" --check-config --config "$data/production-real.toml" 2>&1) ||
    fail "real settings refused: $out"
  # The program itself turned dumps off first thing (kiosk/app/hardening.cpp).
  echo "$out" | grep -q "core dumps off" || fail "the production kiosk did not harden: '$out'"
  "$demo" --check-config >/dev/null 2>&1 || fail "kiosk-demo refused its built-in demo settings"
  "$demo" --check-config --config "$data/production-sim.toml" >/dev/null 2>&1 ||
    fail "kiosk-demo refused sim settings"
  echo "kiosk refuses the demo's settings (78) and accepts real ones; kiosk-demo runs both"
  ;;
*) fail "usage" ;;
esac
