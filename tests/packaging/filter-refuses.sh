#!/usr/bin/env bash
# seccomp-run itself, under the list systemd expands from the main unit: a call outside it
# (chroot, in @privileged) fails with the unit's EPERM and the shell goes on; without --errno
# (systemd's default when SystemCallErrorNumber= is unset) the caller is killed by SIGSYS.
#   filter-refuses.sh SECCOMP_RUN WORK_DIR          exit 77: no systemd-analyze (skipped)
set -euo pipefail
run=$1 work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v systemd-analyze >/dev/null || { echo "SKIP: no systemd-analyze"; exit 77; }
mkdir -p "$work"
"$src/tools/seccomp-run/unit-filter.sh" "$src/packaging/systemd/estation-kiosk.service" >"$work/allowed"
grep -qx read "$work/allowed" && ! grep -qx chroot "$work/allowed"
out=$("$run" --errno EPERM "$work/allowed" -- sh -c 'chroot / true 2>&1; echo went-on' 2>&1)
echo "$out"
grep -q 'Operation not permitted' <<<"$out"
grep -q went-on <<<"$out"
rc=0
"$run" "$work/allowed" -- sh -c 'chroot / true' 2>/dev/null || rc=$?
echo "without --errno: exit $rc (159: SIGSYS)"
test "$rc" -eq 159
# --log: the refused call is named, and still refused.
out=$("$run" --log "$work/allowed" -- sh -c 'chroot / true 2>/dev/null; echo went-on' 2>&1)
grep -q 'refused chroot' <<<"$out" && grep -q went-on <<<"$out"
echo "--log: $(grep 'refused chroot' <<<"$out")"
echo "filter-refuses: ok"
