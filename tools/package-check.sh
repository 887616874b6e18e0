#!/usr/bin/env bash
# The Debian package as a whole, the way Debian's own tools see it (docs/packaging.md, "Checking
# the package"). Outside CI: it needs root, lintian, mmdebstrap and a Debian mirror (the
# throwaway root is made from Debian's packages). CI runs the short form: tests/packaging/deb.sh
# lintian and security (ctest packaging.deb.lintian, packaging.deb.security).
#
#   tools/package-check.sh [BUILD_DIR] [STEP...]     BUILD_DIR: build/default
#
# Steps (default: all, in this order):
#   build     build what the package holds, then cpack -G DEB into BUILD_DIR/package-check/out
#   lintian   lintian on the .deb: any error fails; the tags it reports are printed
#   security  systemd-analyze security --offline=true on every service: exposure above 2.0 fails
#   syscalls  every kiosk-demo scenario and the packaged programs under strace -f: each system
#             call they make must be in the units' filter (@system-service less @privileged)
#   filter    every scenario, in elder mode too, under the filter itself: seccomp-run
#             (tools/seccomp-run/) loads the list systemd expands from estation-kiosk.service
#             with the unit's SystemCallErrorNumber=, as systemd would; every run must pass,
#             on SDL's offscreen driver and again on X11 under Xvfb
#   chroot    a throwaway Debian 12 root (mmdebstrap): install the previous version, change the
#             configuration, upgrade to this one (the change survives), remove, purge (nothing of
#             the package is left)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
bin=$(realpath -m "${1:-build/default}")
shift || true
steps=("$@")
[[ ${#steps[@]} -gt 0 ]] || steps=(build lintian security syscalls filter chroot)
work=$bin/package-check
out=$work/out
pkg=estation-kiosk
services="estation-kiosk.service estation-kiosk-session.service estation-kiosk-x11.service"
max_exposure=2.0
suite=${KIOSK_CHECK_SUITE:-bookworm}

say() { printf '\n== package-check: %s\n' "$*"; }
fail() {
    echo "package-check: FAIL: $*" >&2
    exit 1
}
deb() {
    local d
    d=$(ls "$out"/${pkg}_*.deb 2>/dev/null | head -n 1)
    [[ -n "$d" ]] || fail "no package in $out: run the build step"
    echo "$d"
}

step_build() {
    say "build: the programs and the package's documents, then cpack"
    [[ -f "$bin/CMakeCache.txt" ]] || fail "$bin is not a configured build tree (cmake --preset default)"
    nice -n 10 cmake --build "$bin" --target kiosk kiosk-launch kiosk-staff-pin kiosk-package-docs \
        kiosk-demo
    rm -rf "$out"
    mkdir -p "$out"
    nice -n 10 cpack -G DEB --config "$bin/CPackConfig.cmake" -B "$out" >"$work/cpack.log" 2>&1 || {
        cat "$work/cpack.log"
        fail cpack
    }
    rm -rf "$out/_CPack_Packages"
    dpkg-deb -I "$(deb)" | sed -n '/Package:/,$p'
}

step_lintian() {
    say "lintian $(basename "$(deb)")"
    command -v lintian >/dev/null || fail "no lintian (tools/install-deps.sh installs it)"
    sh "$src/tests/packaging/deb.sh" lintian "$bin" "$work" - - - "$(deb)"
}

step_security() {
    say "systemd-analyze security --offline=true (fails above $max_exposure)"
    local root=$work/security-root
    rm -rf "$root"
    mkdir -p "$root"
    dpkg-deb -x "$(deb)" "$root"
    sh "$src/tests/packaging/deb.sh" security "$bin" "$work" - - - "$root"
}

# The system calls the units' filter allows, as systemd expands the unit's SystemCallFilter=
# lines (tools/seccomp-run/unit-filter.sh: @system-service and its nested groups from
# systemd-analyze, less ~@privileged, plus mincore). Printed one a line, sorted.
filter_allows() {
    "$src/tools/seccomp-run/unit-filter.sh" "$src/packaging/systemd/estation-kiosk.service"
}

step_syscalls() {
    say "syscalls: the scenarios and the packaged programs under strace -f, against the filter"
    command -v strace >/dev/null || fail "no strace"
    local d=$work/syscalls demo=$bin/sim/demo/kiosk-demo k=$bin/kiosk/app/kiosk
    [[ -x "$demo" && -x "$k" ]] || fail "build kiosk and kiosk-demo first"
    rm -rf "$d"
    mkdir -p "$d/traces"
    filter_allows >"$d/allowed"
    # As the units run them: not as root (User=estation-kiosk), so what a library does only for
    # root (SQLite's fchown of its journals, say) is not counted. nobody stands in for the user.
    local as=()
    if [[ $(id -u) -eq 0 ]]; then
        as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs)
        chown nobody:nogroup "$d" "$d/traces"
    fi
    local n=0 s name
    # Each scenario through the real renderer on SDL's offscreen driver, as ctest's ui.scenario.*
    # run them, children (espeak-ng) followed.
    for s in "$src"/tests/scenarios/*.toml; do
        name=$(basename "$s" .toml)
        if ! SDL_VIDEODRIVER=offscreen TZ=Asia/Shanghai KIOSK_STATE_DIR="$d/state/$name" HOME="$d" \
            "${as[@]}" strace -f -qq -c -o "$d/traces/$name" "$demo" --scenario "$s" \
            --screenshots "$d/shots/$name" >"$d/$name.log" 2>&1; then
            tail -n 5 "$d/$name.log"
            fail "scenario $name failed under strace"
        fi
        n=$((n + 1))
    done
    # The production program as the units start it, as far as it goes without a real hall and
    # devices: --help, --version, --check-config on a filled-in configuration; the staff tool.
    cp "$src/packaging/config/kiosk.toml" "$d/site.toml"
    chmod 644 "$d/site.toml"
    printf '[devices]\nidcard = "serial:/dev/ttyUSB0?baud=115200"\nscanner = ""\nprinter = "usb:0416:5011"\na4_printer = ""\nlocker = ""\ncamera = ""\n[backend]\nurl = "https://hall.example.gov.cn/api"\n' >>"$d/site.toml"
    "${as[@]}" strace -f -qq -c -o "$d/traces/kiosk-help" "$k" --help >/dev/null
    "${as[@]}" strace -f -qq -c -o "$d/traces/kiosk-check" "$k" --check-config --config "$d/site.toml" >/dev/null ||
        fail "kiosk --check-config under strace"
    # espeak-ng, which the kiosk spawns for its voice (under the same filter): synthesis only,
    # to stdout (no sound device here).
    HOME="$d" "${as[@]}" strace -f -qq -c -o "$d/traces/espeak-ng" espeak-ng -v cmn --stdout "请取号" >/dev/null ||
        fail "espeak-ng under strace"
    echo 1234 | "${as[@]}" strace -f -qq -c -o "$d/traces/staff-pin" "$bin/tools/staff-pin/kiosk-staff-pin" pin >/dev/null
    # The session unit's chain as far as this machine allows: cage on wlroots' headless backend
    # (no DRM here; pixman renders) with the demo inside. Without a GPU SDL finds no renderer on
    # Wayland, so the kiosk stops after its start; cage's own calls and the kiosk's start are
    # counted. cage's setuid(0) (its check that root cannot be regained) is expected to fail:
    # the filter refuses it with EPERM, as the kernel would.
    if command -v cage >/dev/null && [[ -x /usr/bin/Xwayland ]]; then
        mkdir -p "$d/run"
        chmod 700 "$d/run"
        [[ ${#as[@]} -eq 0 ]] || chown nobody:nogroup "$d/run"
        XDG_RUNTIME_DIR="$d/run" WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
            SDL_VIDEODRIVER=wayland TZ=Asia/Shanghai KIOSK_STATE_DIR="$d/state/cage" HOME="$d" \
            timeout 120 "${as[@]}" strace -f -qq -c -o "$d/traces/cage" cage -d -- "$demo" \
            --scenario "$src/tests/scenarios/demo.toml" --screenshots "$d/shots/cage" \
            >"$d/cage.log" 2>&1 || fail "cage under strace: $(tail -n 3 "$d/cage.log")"
        echo "cage (headless) with the demo: traced"
    else
        echo "note: no cage or Xwayland here (apt install cage xwayland): cage's calls not traced"
    fi
    # strace -c: a table whose last column is the call's name, between the two rulers.
    cat "$d"/traces/* | awk '/^------/ { inside = !inside; next } inside && NF { print $NF }' |
        grep -v '^total$' | sort -u >"$d/used"
    echo "$n scenarios and 4 program runs: $(wc -l <"$d/used") distinct system calls; the filter allows $(wc -l <"$d/allowed")"
    comm -23 "$d/used" "$d/allowed" >"$d/outside"
    # setuid from cage alone: its check that setuid(0) fails, which the filter makes fail (EPERM).
    if grep -qx setuid "$d/outside" && ! grep -lw 'setuid$' "$d"/traces/* | grep -qv '/cage$'; then
        echo "setuid: called by cage only, its check that setuid(0) fails; refused (EPERM) as intended"
        sed -i '/^setuid$/d' "$d/outside"
    fi
    if [[ -s "$d/outside" ]]; then
        echo "called, and not allowed by the filter:"
        for s in $(cat "$d/outside"); do
            printf '  %-20s in %s\n' "$s" "$(grep -lw "$s\$" "$d"/traces/* | awk -F/ 'NR <= 5 { printf "%s ", $NF }')"
        done
        fail "system calls outside the units' SystemCallFilter"
    fi
    echo "every other system call made is allowed by the filter (@system-service ~@privileged mincore)"
}

step_filter() {
    say "filter: every scenario (and in elder mode) under the units' SystemCallFilter=, enforced"
    local u l
    # The three units carry the same filter lines; the list is made from the main one's.
    for u in estation-kiosk-session estation-kiosk-x11; do
        l=$("$src/tools/seccomp-run/unit-filter.sh" "$src/packaging/systemd/$u.service")
        [[ "$l" == "$(filter_allows)" ]] || fail "$u.service's filter differs from estation-kiosk.service's"
    done
    nice -n 10 cmake --build "$bin" --target seccomp-run kiosk-demo >/dev/null ||
        fail "cannot build seccomp-run (apt install libseccomp-dev, then reconfigure)"
    # As the units run them: not as root (nobody stands in for User=estation-kiosk).
    nice -n 10 "$src/tools/seccomp-run/scenarios.sh" --elder --as-nobody "$bin/tools/seccomp-run/seccomp-run" \
        "$bin/sim/demo/kiosk-demo" "$work/filter" || fail "scenarios under the filter (above)"
    # espeak-ng, which the kiosk spawns for its voice (the scenarios do not reach it): synthesis
    # to stdout under the same filter, with --log so a refused call is named.
    local f=$work/filter e as=() err fl
    [[ $(id -u) -ne 0 ]] || as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    err=$("$src/tools/seccomp-run/unit-filter.sh" --errno "$src/packaging/systemd/estation-kiosk.service")
    fl=(--log --known "$f/known")
    [[ -z "$err" ]] || fl+=(--errno "$err")
    if command -v espeak-ng >/dev/null; then
        HOME="$f" "${as[@]}" "$bin/tools/seccomp-run/seccomp-run" "${fl[@]}" "$f/allowed" -- \
            espeak-ng -v cmn --stdout "请取号" >/dev/null 2>"$f/espeak-ng.log" || fail "espeak-ng under the filter"
        e=$(grep 'refused' "$f/espeak-ng.log" || true)
        [[ -z "$e" ]] || fail "espeak-ng under the filter: $e"
        echo "espeak-ng (synthesis) under the filter: no call refused"
    else
        echo "note: no espeak-ng: its run under the filter skipped"
    fi
    # The X11 unit's side (SDL_VIDEODRIVER=x11) on an Xvfb, started outside the filter.
    if command -v Xvfb >/dev/null; then
        nice -n 10 "$src/tools/seccomp-run/scenarios.sh" --x11 --as-nobody "$bin/tools/seccomp-run/seccomp-run" \
            "$bin/sim/demo/kiosk-demo" "$work/filter-x11" || fail "scenarios under the filter on X11 (above)"
    else
        echo "note: no Xvfb (apt install xvfb): the X11 runs skipped"
    fi
}

# chroot helpers: run a command in the throwaway root, with /proc and /dev for the scripts.
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
mount_root() {
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --make-rslave "$root/dev"
}
umount_root() {
    [[ -n "${root:-}" ]] || return 0
    umount -R "$root/dev" 2>/dev/null || true
    umount "$root/proc" 2>/dev/null || true
}
# Every file and directory of the root but the ones that change whatever is installed (apt's and
# dpkg's own records, logs, caches), with its owner and mode.
snapshot() {
    (cd "$root" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./sys -o -path ./run \
        -o -path ./tmp -o -path ./var/cache -o -path ./var/log -o -path ./var/lib/apt \
        -o -path ./var/lib/dpkg \) -prune -o -printf '%p %u:%g %m\n' | sort) >"$1"
}

step_chroot() {
    say "chroot: install the previous version, upgrade, remove, purge in a throwaway $suite root"
    command -v mmdebstrap >/dev/null || fail "no mmdebstrap (tools/install-deps.sh installs it)"
    [[ $(id -u) -eq 0 ]] || fail "the chroot step needs root"
    local new prev base d=$work/chroot
    new=$(deb)
    mkdir -p "$d"
    # The base: Debian's packages the kiosk package depends on, from the mirror apt uses here;
    # made once and kept (it does not depend on our package, only on what it names).
    local deps
    deps=$(dpkg-deb -f "$new" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//; s/|.*//' | grep . | sort -u | tr '\n' ',')
    base=$d/base-$suite-$(echo "$deps" | sha256sum | cut -c1-12).tar
    if [[ ! -f "$base" ]]; then
        echo "mmdebstrap --variant=apt --include=<the package's Depends> $suite (once; kept in $base)"
        nice -n 10 mmdebstrap --quiet --variant=apt --include="${deps%,}" "$suite" "$base" ||
            fail "mmdebstrap: no base root (is a Debian mirror reachable?)"
    fi
    # The previous version: the same package with a lower version (its Debian revision - 1, or
    # ~prev), rebuilt with dpkg-deb; what it installs is this one's.
    local v pv
    v=$(dpkg-deb -f "$new" Version)
    case $v in *-*) pv="${v%-*}-$(( ${v##*-} - 1 ))" ;; *) pv="$v~prev" ;; esac
    dpkg --compare-versions "$pv" lt "$v" || pv="$v~prev"
    rm -rf "$d/prev"
    dpkg-deb -R "$new" "$d/prev"
    sed -i "s/^Version: .*/Version: $pv/" "$d/prev/DEBIAN/control"
    prev=$d/${pkg}_${pv}_$(dpkg-deb -f "$new" Architecture).deb
    dpkg-deb --root-owner-group -b "$d/prev" "$prev" >/dev/null
    rm -rf "$d/prev"
    echo "previous: $(basename "$prev"); new: $(basename "$new")"

    root=$d/root
    umount_root
    rm -rf "$root"
    mkdir -p "$root"
    tar -C "$root" -xf "$base"
    trap umount_root EXIT
    mount_root
    cp "$prev" "$new" "$root/tmp/"
    snapshot "$d/before"

    echo "-- install $pv"
    in_root dpkg -i "/tmp/$(basename "$prev")" || fail "dpkg -i $pv"
    in_root dpkg-query -W -f='${Package} ${Version} ${Status}\n' "$pkg"
    in_root getent passwd estation-kiosk || fail "no user estation-kiosk after install"
    in_root id estation-kiosk
    for f in /etc/estation-kiosk/kiosk.toml /var/lib/estation-kiosk /var/log/estation-kiosk; do
        in_root stat -c '%n %U:%G %a' "$f" || fail "$f missing after install"
    done
    [[ "$(in_root stat -c '%U:%G %a' /etc/estation-kiosk/kiosk.toml)" = "root:estation-kiosk 640" ]] ||
        fail "kiosk.toml is not root:estation-kiosk 0640"
    [[ -L "$root/etc/systemd/system/multi-user.target.wants/estation-kiosk-session.service" ]] ||
        fail "the session is not enabled after the first install"
    echo "enabled: $(cd "$root/etc/systemd/system/multi-user.target.wants" && ls estation-kiosk* | tr '\n' ' ')"
    in_root man -w kiosk >/dev/null 2>&1 || [[ -f "$root/usr/share/man/man1/kiosk.1.gz" ]] ||
        fail "no man page kiosk(1)"

    echo "-- the admin changes the configuration and switches to the X11 fallback; the kiosk writes state"
    printf '\n# changed on this kiosk (package-check)\n[kiosk]\nid = "kiosk-check-0042"\n' >>"$root/etc/estation-kiosk/kiosk.toml"
    local sum
    sum=$(sha256sum <"$root/etc/estation-kiosk/kiosk.toml")
    rm "$root/etc/systemd/system/multi-user.target.wants/estation-kiosk-session.service"
    ln -s /usr/lib/systemd/system/estation-kiosk-x11.service \
        "$root/etc/systemd/system/multi-user.target.wants/estation-kiosk-x11.service"
    in_root sh -c 'echo journal >/var/lib/estation-kiosk/outbox.db && chown estation-kiosk: /var/lib/estation-kiosk/outbox.db'

    echo "-- upgrade $pv -> $v"
    in_root dpkg -i "/tmp/$(basename "$new")" || fail "dpkg -i $v (upgrade)"
    in_root dpkg-query -W -f='${Package} ${Version} ${Status}\n' "$pkg"
    [[ "$(sha256sum <"$root/etc/estation-kiosk/kiosk.toml")" = "$sum" ]] ||
        fail "the changed configuration did not survive the upgrade"
    [[ ! -e "$root/etc/estation-kiosk/kiosk.toml.dpkg-new" && ! -e "$root/etc/estation-kiosk/kiosk.toml.dpkg-dist" ]] ||
        fail "the upgrade left a .dpkg-new/.dpkg-dist beside the configuration"
    grep -q 'kiosk-check-0042' "$root/etc/estation-kiosk/kiosk.toml" || fail "the change is gone"
    echo "configuration kept: $(grep 'kiosk-check-0042' "$root/etc/estation-kiosk/kiosk.toml")"
    [[ "$(in_root stat -c '%U:%G %a' /etc/estation-kiosk/kiosk.toml)" = "root:estation-kiosk 640" ]] ||
        fail "kiosk.toml lost root:estation-kiosk 0640 in the upgrade"
    [[ -L "$root/etc/systemd/system/multi-user.target.wants/estation-kiosk-x11.service" &&
        ! -e "$root/etc/systemd/system/multi-user.target.wants/estation-kiosk-session.service" ]] ||
        fail "the upgrade did not keep the admin's choice of display mode"
    echo "display mode kept: $(cd "$root/etc/systemd/system/multi-user.target.wants" && ls estation-kiosk* | tr '\n' ' ')"
    [[ -f "$root/var/lib/estation-kiosk/outbox.db" ]] || fail "the upgrade lost the kiosk's state"
    echo "state kept: /var/lib/estation-kiosk/outbox.db"

    echo "-- remove"
    in_root dpkg -r "$pkg" || fail "dpkg -r"
    in_root dpkg-query -W -f='${Package} ${Version} ${Status}\n' "$pkg"
    [[ -f "$root/etc/estation-kiosk/kiosk.toml" ]] || fail "remove deleted the configuration (only purge may)"
    [[ ! -e "$root/usr/bin/kiosk" ]] || fail "remove left /usr/bin/kiosk"

    echo "-- purge"
    in_root dpkg -P "$pkg" || fail "dpkg -P"
    in_root dpkg-query -W "$pkg" >/dev/null 2>&1 && fail "dpkg still knows $pkg after purge"
    snapshot "$d/after"
    # What is left: only the system user and its group (Debian keeps system users: files may still
    # carry their ids), recorded in passwd, group and their shadows.
    local left
    left=$(diff "$d/before" "$d/after" | grep '^[<>]' |
        grep -v -e ' \./etc/\(passwd\|group\|shadow\|gshadow\)\(-\)\? ' || true)
    diff "$d/before" "$d/after" | grep '^[<>]' | sed 's/^/  /' || true
    [[ -z "$left" ]] || fail "purge left (or took away) more than the user's records: $left"
    in_root getent passwd estation-kiosk >/dev/null && echo "kept, by design: the system user estation-kiosk"
    echo "purge: nothing of the package is left ($(wc -l <"$d/after") paths compared with the root before the install)"
    umount_root
    trap - EXIT
    rm -rf "$root"
}

for s in "${steps[@]}"; do
    case $s in
    build | lintian | security | syscalls | filter | chroot) "step_$s" ;;
    *) fail "unknown step $s (build lintian security syscalls filter chroot)" ;;
    esac
done
say "passed: ${steps[*]}"
