#!/bin/sh
# The Debian package, built with cpack from the build tree this test runs in and inspected with
# dpkg-deb (registered by tests/packaging/CMakeLists.txt as packaging.deb.<step>).
#
#   deb.sh <step> <build dir> <work dir> <version> <launcher expected: 1|0> <install prefix> [arg]
#
# build   cpack -G DEB into <work>/out; the package's files into <work>/root, its control files
#         into <work>/control (the other steps read those)
# control Package, Version, Architecture, Depends (ours + dpkg-shlibdeps'), Recommends
# files   every file at its path, with the right mode
# units   systemd-analyze verify on the package's tree (plus stand-ins for cage and xinit, which
#         are dependencies, not ours), else a key-by-key check; the keys the kiosk relies on
# users   sysusers/tmpfiles lines; systemd-sysusers run on a copy of /etc
# scripts maintainer scripts executable and `sh -n` clean (and shellcheck clean when present);
#         postinst and prerm run against stubs of systemctl, systemd-sysusers, udevadm…
# binary  the packaged kiosk runs --version and --check-config on the packaged configurations
# lintian lintian on the package: any error fails (tools/package-check.sh runs it too)
# security systemd-analyze security --offline=true on each service: exposure above 2.0 fails
# cleanup removes <work>
set -eu

step=$1 bin=$2 work=$3 version=$4 launcher=$5 prefix=$6
root=$work/root
ctl=$work/control
pkg=estation-kiosk
units="estation-kiosk.service estation-kiosk-session.service estation-kiosk-x11.service"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# has <file> <fixed string>: the file holds the line fragment
has() { grep -qF -- "$2" "$1" || fail "$1: no '$2'"; }
# key <unit file> <Key> → the values of Key= (one per line)
key() { sed -n "s/^$2=//p" "$1"; }
# key_is <unit file> <Key> <value>: the last Key= is exactly value
key_is() {
    v=$(key "$1" "$2" | tail -n 1)
    [ "$v" = "$3" ] || fail "$(basename "$1"): $2='$v', want '$3'"
}

case $step in
build)
    rm -rf "$work"
    mkdir -p "$work/out" "$root" "$ctl"
    # cpack installs the component `kiosk` from what this tree built (ctest runs after the build).
    cpack -G DEB --config "$bin/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 || {
        cat "$work/cpack.log"
        fail "cpack (every target installed in the component kiosk must be built: build the tree first)"
    }
    set -- "$work"/out/${pkg}_*.deb
    [ -f "$1" ] || fail "no ${pkg}_*.deb in $work/out"
    echo "$1" >"$work/deb"
    dpkg-deb -x "$1" "$root"
    dpkg-deb -e "$1" "$ctl"
    dpkg-deb -I "$1"
    ;;

control)
    deb=$(cat "$work/deb")
    field() { dpkg-deb -f "$deb" "$1"; }
    [ "$(field Package)" = "$pkg" ] || fail "Package: $(field Package)"
    # The program's version and a Debian revision (packaging/debian/changelog's newest entry).
    case $(field Version) in "$version"-[0-9]*) ;; *) fail "Version: $(field Version), want $version-N" ;; esac
    ! dpkg-deb -f "$deb" Maintainer Homepage | grep -qi 'example\.org' || fail "placeholder Maintainer/Homepage"
    # The production program no longer links the hall simulator's HTTP server (#19).
    ! field Depends | grep -q httplib || fail "Depends still names cpp-httplib"
    [ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture"
    [ -n "$(field Maintainer)" ] || fail "no Maintainer"
    [ -n "$(field Description)" ] || fail "no Description"
    depends=$(field Depends)
    echo "Depends: $depends"
    for d in cage xwayland fonts-noto-cjk fonts-babelstone-han espeak-ng systemd udev libpam-systemd; do
        echo "$depends" | tr ',' '\n' | sed 's/^ *//' | grep -q "^$d\( \|$\)" || fail "Depends lacks $d"
    done
    # dpkg-shlibdeps ran: the C library and the program's own libraries are there.
    for d in libc6 libsdl2 libsystemd0 libcurl libsqlite3; do
        echo "$depends" | grep -q "$d" || fail "Depends lacks $d (dpkg-shlibdeps)"
    done
    recommends=$(field Recommends)
    for d in xserver-xorg xinit; do
        echo "$recommends" | grep -q "$d" || fail "Recommends lacks $d"
    done
    dpkg-deb -c "$deb" >"$work/contents"
    grep -q ' \./usr/bin/kiosk$' "$work/contents" || fail "dpkg-deb -c: no ./usr/bin/kiosk"
    ;;

files)
    # path, then mode (octal, as stat -c %a prints it)
    while read -r path mode; do
        [ -e "$root$path" ] || fail "missing $path"
        m=$(stat -c %a "$root$path")
        [ "$m" = "$mode" ] || fail "$path mode $m, want $mode"
    done <<EOF
/usr/bin/kiosk 755
/usr/libexec/estation-kiosk/xinitrc 755
/usr/share/estation-kiosk/assets/i18n/zh-CN.toml 644
/usr/share/estation-kiosk/assets/i18n/en.toml 644
/usr/share/estation-kiosk/assets/catalog.toml 644
/usr/share/estation-kiosk/kiosk.toml.example 644
/usr/share/doc/estation-kiosk/packaging.md 644
/usr/share/doc/estation-kiosk/copyright 644
/usr/share/doc/estation-kiosk/changelog.Debian.gz 644
/usr/share/man/man1/kiosk.1.gz 644
/usr/share/man/man1/kiosk-staff-pin.1.gz 644
/usr/share/lintian/overrides/estation-kiosk 644
/etc/estation-kiosk/kiosk.toml 640
/etc/pam.d/estation-kiosk 644
/usr/lib/udev/rules.d/70-kiosk-devices.rules 644
/usr/lib/sysusers.d/estation-kiosk.conf 644
/usr/lib/tmpfiles.d/estation-kiosk.conf 644
/usr/lib/systemd/system/estation-kiosk.service 644
/usr/lib/systemd/system/estation-kiosk-session.service 644
/usr/lib/systemd/system/estation-kiosk-x11.service 644
/usr/lib/systemd/system/estation-kiosk-retry@.timer 644
EOF
    if [ "$launcher" = 1 ]; then
        l=$root/usr/libexec/estation-kiosk/kiosk-launch
        [ -x "$l" ] || fail "no kiosk-launch"
        # It execs the factory program at the path compiled from the prefix: /usr/bin/kiosk.
        if [ "$prefix" = /usr ]; then
            grep -qa '/usr/bin/kiosk' "$l" || fail "kiosk-launch does not name /usr/bin/kiosk"
        else
            echo "note: this tree's prefix is $prefix, its launcher execs $prefix/bin/kiosk:" \
                "packages are to be built with -DCMAKE_INSTALL_PREFIX=/usr"
        fi
    else
        echo "note: no kiosk-launch target in this tree; the launcher is not checked"
    fi
    # No simulator or operator tool got in (they stay out of the component kiosk); other
    # programs that joined the component are listed.
    bad=$(cd "$root" && find ./usr/bin ./usr/libexec -type f \( -name '*sim' -o -name '*-sim*' \
        -o -name 'fleet-cmd' -o -name 'kiosk-bundle' -o -name 'test_*' -o -name 'bench*' \) | sort)
    [ -z "$bad" ] || fail "simulators or operator tools in the package: $bad"
    extra=$(cd "$root" && find . -type f | grep -v -e '^\./usr/share/estation-kiosk/' \
        -e '^\./usr/lib/systemd/system/estation-kiosk' -e '^\./usr/libexec/estation-kiosk/' \
        -e '^\./etc/estation-kiosk/' -e '^\./usr/share/doc/estation-kiosk/' \
        -e '^\./usr/bin/kiosk$' -e '^\./etc/pam.d/estation-kiosk$' \
        -e '^\./usr/lib/udev/rules.d/70-kiosk-devices.rules$' \
        -e '^\./usr/lib/sysusers.d/estation-kiosk.conf$' \
        -e '^\./usr/lib/tmpfiles.d/estation-kiosk.conf$' -e '^\./usr/share/man/man1/' \
        -e '^\./usr/share/lintian/overrides/estation-kiosk$' -e '^\./usr/bin/kiosk-staff-pin$' || true)
    [ -z "$extra" ] || echo "note: also in the package:" $extra
    # The configuration (fleet password, update token) is not world-readable: 0640, root's in the
    # package (postinst gives its group to estation-kiosk; the scripts step runs that).
    dpkg-deb -c "$(cat "$work/deb")" | grep -q '^-rw-r----- root/root .* \./etc/estation-kiosk/kiosk.toml$' ||
        fail "dpkg-deb -c: /etc/estation-kiosk/kiosk.toml is not -rw-r----- root/root"
    # Every conffile is in the package, under /etc.
    while read -r f; do
        case $f in /etc/*) ;; *) fail "conffile $f is not under /etc" ;; esac
        [ -f "$root$f" ] || fail "conffile $f not in the package"
    done <"$ctl/conffiles"
    ;;

units)
    sys=$root/usr/lib/systemd/system
    # The keys each unit must carry.
    for u in $units; do
        f=$sys/$u
        key_is "$f" Type notify
        key_is "$f" User estation-kiosk
        key_is "$f" ProtectSystem strict
        key_is "$f" PrivateTmp yes
        key_is "$f" NoNewPrivileges yes
        key_is "$f" LimitCORE 0
        key_is "$f" UMask 0077
        key_is "$f" ProcSubset pid
        key_is "$f" ProtectProc invisible
        key_is "$f" DevicePolicy closed
        key_is "$f" MemoryDenyWriteExecute yes
        key_is "$f" RestrictAddressFamilies "AF_UNIX AF_INET AF_INET6 AF_NETLINK"
        key "$f" SystemCallFilter | grep -qx '@system-service' || fail "$u: no SystemCallFilter=@system-service"
        key "$f" Environment | grep -qx 'KIOSK_BOOT_ID=%b' || fail "$u: no KIOSK_BOOT_ID=%b (ProcSubset=pid hides boot_id)"
        for d in char-ttyUSB char-ttyACM char-ttyS char-hidraw char-usb_device char-video4linux \
            char-input char-drm char-alsa; do
            key "$f" DeviceAllow | grep -qx "$d rw" || fail "$u: DeviceAllow lacks $d"
        done
        key_is "$f" StateDirectory estation-kiosk
        key_is "$f" LogsDirectory estation-kiosk
        key_is "$f" OnFailure "estation-kiosk-retry@%n.timer"
        for k in WatchdogSec RestartSec StartLimitIntervalSec StartLimitBurst; do
            [ -n "$(key "$f" "$k")" ] || fail "$u: no $k="
        done
        rw=$(key "$f" ReadWritePaths)
        for p in /var/lib/estation-kiosk /var/log/estation-kiosk; do
            echo " $rw " | grep -qF " $p " || fail "$u: ReadWritePaths lacks $p"
        done
        # Device groups: exactly what the devices need, each one granted by the udev rules is in.
        key_is "$f" SupplementaryGroups "dialout plugdev input video"
        for g in $(sed -n 's/.*GROUP="\([a-z]*\)".*/\1/p' \
            "$root/usr/lib/udev/rules.d/70-kiosk-devices.rules" | sort -u); do
            echo " $(key "$f" SupplementaryGroups) " | grep -qF " $g " ||
                fail "$u: udev grants group $g, SupplementaryGroups lacks it"
        done
        echo "$u: keys ok"
    done
    key_is "$sys/estation-kiosk.service" NotifyAccess main
    # The direct unit sees the kiosk's own exit status; cage and xinit (Debian 12) exit 0
    # whatever the kiosk did, so their units restart always.
    key_is "$sys/estation-kiosk.service" Restart on-failure
    key_is "$sys/estation-kiosk-session.service" Restart always
    key_is "$sys/estation-kiosk-x11.service" Restart always
    key_is "$sys/estation-kiosk.service" ExecStart \
        "/usr/libexec/estation-kiosk/kiosk-launch --config /etc/estation-kiosk/kiosk.toml"
    s=$sys/estation-kiosk-session.service
    key_is "$s" NotifyAccess all
    key "$s" ExecStart | grep -q '^/usr/bin/cage .*-- /usr/libexec/estation-kiosk/kiosk-launch ' ||
        fail "session: ExecStart is not cage -- kiosk-launch"
    key_is "$s" PAMName estation-kiosk
    key_is "$s" TTYPath /dev/tty1
    key "$s" Conflicts | grep -q 'getty@tty1.service' || fail "session: tty1 getty not conflicted"
    x=$sys/estation-kiosk-x11.service
    key_is "$x" NotifyAccess all
    key "$x" ExecStart | grep -q '^/usr/bin/xinit /usr/libexec/estation-kiosk/xinitrc -- ' ||
        fail "x11: ExecStart is not xinit xinitrc"
    grep -q '^exec /usr/libexec/estation-kiosk/kiosk-launch ' \
        "$root/usr/libexec/estation-kiosk/xinitrc" || fail "xinitrc does not exec kiosk-launch"
    key_is "$sys/estation-kiosk-retry@.timer" Unit "%i"
    # Only the session is enabled by the package; all three install into multi-user.target.
    for u in $units; do key_is "$sys/$u" WantedBy multi-user.target; done

    # Every key is one systemd 252 knows in its section (a typo would be ignored with a warning).
    known_unit="Description Documentation After Before Wants Requires BindsTo Conflicts
        ConditionPathExists StartLimitIntervalSec StartLimitBurst OnFailure"
    known_service="Type NotifyAccess ExecStart TimeoutStartSec TimeoutStopSec WatchdogSec Restart
        RestartSec User Group SupplementaryGroups PAMName TTYPath TTYReset TTYVHangup
        TTYVTDisallocate StandardInput StandardOutput StandardError UtmpIdentifier UtmpMode
        Environment StateDirectory StateDirectoryMode LogsDirectory LogsDirectoryMode
        ProtectSystem ReadWritePaths ProtectHome PrivateTmp NoNewPrivileges RestrictSUIDSGID
        LimitCORE CapabilityBoundingSet ProtectProc
        ProtectKernelTunables ProtectKernelModules ProtectKernelLogs ProtectControlGroups
        ProtectClock ProtectHostname RestrictRealtime RestrictNamespaces LockPersonality
        SystemCallArchitectures RestrictAddressFamilies UMask AmbientCapabilities ProcSubset
        RemoveIPC PrivateMounts MemoryDenyWriteExecute SystemCallFilter SystemCallErrorNumber
        DevicePolicy DeviceAllow"
    known_install="WantedBy"
    known_timer="OnActiveSec AccuracySec RemainAfterElapse Unit"
    for f in "$sys"/estation-kiosk*; do
        section=""
        while IFS= read -r line; do
            case $line in
            '' | '#'*) continue ;;
            '['*']') section=$line; continue ;;
            *=*) k=${line%%=*} ;;
            *) fail "$(basename "$f"): not a key=value line: $line" ;;
            esac
            case $section in
            '[Unit]') known=$known_unit ;;
            '[Service]') known=$known_service ;;
            '[Install]') known=$known_install ;;
            '[Timer]') known=$known_timer ;;
            *) fail "$(basename "$f"): unknown section $section" ;;
            esac
            echo " $(echo $known) " | grep -qF " $k " || fail "$(basename "$f"): unknown key $section $k"
        done <"$f"
    done

    if command -v systemd-analyze >/dev/null 2>&1; then
        # verify on a root made of the package, the host's own units (targets, logind, getty)
        # and stand-ins for the programs the package depends on but does not ship.
        vroot=$work/verify-root
        rm -rf "$vroot"
        mkdir -p "$vroot/usr/lib/systemd/system" "$vroot/usr/bin" "$vroot/etc"
        cp -a "$root/." "$vroot/"
        for d in /lib/systemd/system /usr/lib/systemd/system; do
            [ -d "$d" ] && cp -an "$d/." "$vroot/usr/lib/systemd/system/" 2>/dev/null || true
        done
        for b in /usr/bin/cage /usr/bin/xinit /usr/libexec/estation-kiosk/kiosk-launch; do
            if [ ! -e "$vroot$b" ]; then
                mkdir -p "$(dirname "$vroot$b")"
                printf '#!/bin/sh\nexit 0\n' >"$vroot$b"
                chmod 755 "$vroot$b"
            fi
        done
        out=$(cd "$vroot/usr/lib/systemd/system" && systemd-analyze verify --man=no \
            --root="$vroot" $units estation-kiosk-retry@estation-kiosk-session.service.timer 2>&1) ||
            fail "systemd-analyze verify: $out"
        # Warnings (an unknown key, a bad value) do not fail verify; they fail this test.
        [ -z "$out" ] || fail "systemd-analyze verify warned: $out"
        echo "systemd-analyze verify: clean"
    else
        echo "note: no systemd-analyze; the units were checked key by key only"
    fi
    ;;

users)
    su=$root/usr/lib/sysusers.d/estation-kiosk.conf
    has "$su" 'u estation-kiosk - "24-hour e-station kiosk" /var/lib/estation-kiosk /usr/sbin/nologin'
    for g in dialout plugdev input video; do has "$su" "m estation-kiosk $g"; done
    # No group membership beyond those.
    [ "$(grep -c '^m ' "$su")" = 4 ] || fail "sysusers: unexpected group lines"
    tf=$root/usr/lib/tmpfiles.d/estation-kiosk.conf
    has "$tf" "d /var/lib/estation-kiosk 0750 estation-kiosk estation-kiosk -"
    has "$tf" "d /var/log/estation-kiosk 0750 estation-kiosk estation-kiosk -"
    if command -v systemd-sysusers >/dev/null 2>&1; then
        # The real tool on a copy of this machine's user database.
        sroot=$work/sysusers-root
        rm -rf "$sroot"
        mkdir -p "$sroot/etc"
        for db in passwd group shadow gshadow; do
            [ -f "/etc/$db" ] && cp "/etc/$db" "$sroot/etc/" 2>/dev/null || true
        done
        systemd-sysusers --root="$sroot" "$su" || fail "systemd-sysusers"
        grep -q '^estation-kiosk:[^:]*:[0-9]*:[0-9]*:[^:]*:/var/lib/estation-kiosk:/usr/sbin/nologin$' \
            "$sroot/etc/passwd" || fail "systemd-sysusers: no estation-kiosk user"
        for g in dialout plugdev input video; do
            grep -q "^$g:[^:]*:[0-9]*:.*estation-kiosk" "$sroot/etc/group" ||
                fail "systemd-sysusers: estation-kiosk not in $g"
        done
        echo "systemd-sysusers: user and groups created"
    fi
    has "$root/etc/pam.d/estation-kiosk" "session   required  pam_systemd.so"
    ;;

scripts)
    for s in postinst prerm postrm; do
        f=$ctl/$s
        [ -f "$f" ] || fail "no $s"
        [ "$(stat -c %a "$f")" = 755 ] || fail "$s mode $(stat -c %a "$f")"
        sh -n "$f" || fail "$s: sh -n"
        if command -v shellcheck >/dev/null 2>&1; then shellcheck -s sh "$f" || fail "$s: shellcheck"; fi
        # Users come from the sysusers.d file only; units through deb-systemd-helper/-invoke
        # (systemctl only for daemon-reload, as debhelper's snippets do).
        ! grep -n '^[^#]*\(adduser\|addgroup\|useradd\|groupadd\)' "$f" || fail "$s makes users by hand"
        ! grep -n '^[^#]*systemctl' "$f" | grep -v 'systemctl --system daemon-reload' ||
            fail "$s calls systemctl for more than daemon-reload"
    done
    has "$ctl/postinst" "systemd-sysusers /usr/lib/sysusers.d/estation-kiosk.conf"
    has "$ctl/postinst" "systemd-tmpfiles --create /usr/lib/tmpfiles.d/estation-kiosk.conf"
    has "$ctl/postinst" "udevadm trigger"
    has "$ctl/postinst" "deb-systemd-invoke try-restart"
    has "$ctl/prerm" "deb-systemd-invoke stop"
    has "$ctl/postrm" "deb-systemd-helper purge"
    has "$ctl/postrm" "rm -rf /var/lib/estation-kiosk /var/log/estation-kiosk"
    [ "$(stat -c %a "$ctl/conffiles")" = 644 ] || fail "conffiles mode"

    # Run postinst, prerm and postrm remove with every command that changes the system replaced
    # by a stub that records its arguments. The deb-systemd-helper stub answers is-enabled from
    # $enabled, was-enabled from $was, debian-installed from $installed. postrm purge is not run
    # here: it deletes /var/lib/estation-kiosk (tools/package-check.sh runs the whole cycle in a
    # throwaway root).
    stubs=$work/stubs
    mkdir -p "$stubs"
    for c in systemd-sysusers systemd-tmpfiles udevadm systemctl deb-systemd-helper \
        deb-systemd-invoke chown chmod dpkg-statoverride; do
        cat >"$stubs/$c" <<EOF
#!/bin/sh
echo "$c \$*" >>"$work/calls"
if [ "$c" = deb-systemd-helper ]; then
    [ "\$1" = --quiet ] && shift
    case \$1 in
    is-enabled) list=\$enabled ;;
    was-enabled) list=\$was ;;
    debian-installed) list=\$installed ;;
    *) exit 0 ;;
    esac
    case " \$list " in *" \$2 "*) exit 0 ;; esac
    exit 1
fi
if [ "$c" = dpkg-statoverride ]; then
    [ -n "\$override" ] && exit 0
    exit 1
fi
exit 0
EOF
        chmod 755 "$stubs/$c"
    done
    session=estation-kiosk-session.service x11=estation-kiosk-x11.service
    direct=estation-kiosk.service
    # run <is-enabled> <was-enabled> <debian-installed> <script> <args...>
    run() {
        rm -f "$work/calls"
        touch "$work/calls"
        e=$1 w=$2 i=$3 script=$4
        shift 4
        env PATH="$stubs:$PATH" DPKG_ROOT="$root" enabled="$e" was="$w" installed="$i" \
            override="${override:-}" sh "$ctl/$script" "$@" || fail "$script $*"
    }
    called() { grep -qxF -- "$1" "$work/calls"; }
    # First install (no state yet, so was-enabled is true): the user, the directories, the
    # default session enabled, the other two recorded only.
    run "" "$session $x11 $direct" "" postinst configure
    has "$work/calls" "systemd-sysusers /usr/lib/sysusers.d/estation-kiosk.conf"
    has "$work/calls" "systemd-tmpfiles --create /usr/lib/tmpfiles.d/estation-kiosk.conf"
    called "deb-systemd-helper enable $session" || fail "first install: the session not enabled"
    for u in $x11 $direct; do
        ! called "deb-systemd-helper enable $u" || fail "first install enabled $u"
        called "deb-systemd-helper update-state $u" || fail "first install: $u not recorded"
    done
    # The configuration goes to root:estation-kiosk 0640 (after the user and group exist).
    has "$work/calls" "chown root:estation-kiosk $root/etc/estation-kiosk/kiosk.toml"
    has "$work/calls" "chmod 0640 $root/etc/estation-kiosk/kiosk.toml"
    [ "$(grep -n -m1 '^systemd-sysusers' "$work/calls" | cut -d: -f1)" -lt \
        "$(grep -n -m1 '^chown' "$work/calls" | cut -d: -f1)" ] || fail "postinst: chown before sysusers"
    # An admin's dpkg-statoverride for the file is respected.
    override=1
    run "" "$session" "" postinst configure
    override=""
    ! grep -q "^chown\|^chmod" "$work/calls" || fail "postinst changed an overridden kiosk.toml"
    # The admin already chose the X11 fallback: the session is not enabled over it.
    run "$x11" "$session $x11 $direct" "$x11" postinst configure
    ! called "deb-systemd-helper enable $session" || fail "postinst enabled over the admin's choice"
    # An upgrade where the admin switched to X11: X11 stays enabled, the session disabled.
    run "$x11" "$x11" "$session $x11 $direct" postinst configure 0.1.0-0
    called "deb-systemd-helper enable $x11" || fail "upgrade: the admin's X11 unit not kept"
    ! called "deb-systemd-helper enable $session" || fail "upgrade enabled the session again"
    called "deb-systemd-helper update-state $session" || fail "upgrade: session state not updated"
    has "$work/calls" "systemd-sysusers"
    # Removal: no systemd runs here, so there is nothing to stop; postrm masks the units.
    run "" "" "" prerm remove
    run "" "" "" prerm upgrade 0.1.1
    [ ! -s "$work/calls" ] || fail "prerm upgrade did something: $(cat "$work/calls")"
    run "" "" "" postrm remove
    for u in $units; do
        called "deb-systemd-helper mask $u" || fail "postrm remove: $u not masked"
    done
    ;;

binary)
    k=$root/usr/bin/kiosk
    out=$("$k" --version) || fail "kiosk --version exited $?"
    [ "$out" = "estation-kiosk $version" ] || fail "kiosk --version: '$out'"
    # As shipped, both name the demo's simulators: the production program refuses them (78) and
    # names the settings, rather than serving citizens from a simulated hall (issue #19).
    for c in /usr/share/estation-kiosk/kiosk.toml.example /etc/estation-kiosk/kiosk.toml; do
        rc=0
        out=$("$k" --check-config --config "$root$c" 2>&1) || rc=$?
        [ "$rc" = 78 ] || fail "--check-config $c as shipped: exit $rc, want 78 ($out)"
        echo "$out" | grep -q 'backend.url = "sim:"' || fail "--check-config $c: $out"
        echo "$c as shipped: refused, naming $(echo "$out" | grep -c 'names a simulator') settings"
    done
    # Filled in as the file's own comments say, it passes.
    cp "$root/etc/estation-kiosk/kiosk.toml" "$work/site.toml"
    printf '[devices]\nidcard = "serial:/dev/ttyUSB0?baud=115200"\nscanner = ""\nprinter = "usb:0416:5011"\na4_printer = ""\nlocker = ""\ncamera = ""\n[backend]\nurl = "https://hall.example.gov.cn/api"\n' >>"$work/site.toml"
    out=$("$k" --check-config --config "$work/site.toml" 2>&1) || fail "--check-config filled-in: $out"
    echo "filled-in deployment file: $out"
    # A bad file is refused with the documented code, as the unit would see it.
    printf '[display]\nwidht = 3\n' >"$work/bad.toml"
    rc=0
    "$k" --check-config --config "$work/bad.toml" >/dev/null 2>&1 || rc=$?
    [ "$rc" = 78 ] || fail "bad config exit $rc, want 78"
    ;;

lintian)
    # lintian on the package: errors fail; what it says is printed (docs/packaging.md explains
    # each tag that stays, the package's overrides say why for the rest). <work>/deb, or $7.
    deb=${7:-$(cat "$work/deb")}
    out=$(lintian --info --show-overrides --display-level '>=info' "$deb" 2>&1 | grep -v '^N: \|^N:$' |
        grep -v 'running with root privileges' || true)
    [ -z "$out" ] || echo "$out"
    e=$(echo "$out" | grep -c '^E: ' || true)
    w=$(echo "$out" | grep -c '^W: ' || true)
    o=$(echo "$out" | grep -c '^O: ' || true)
    echo "lintian $(lintian --version | sed 's/^Lintian v//'): $e errors, $w warnings, $o overridden"
    [ "$e" = 0 ] || fail "lintian: $e errors"
    ;;

security)
    # systemd-analyze security --offline=true on every service of the package: above 2.0 fails.
    # The package's tree (<work>/root), or $7.
    r=${7:-$root}
    worst=0
    for u in $units; do
        line=$(cd "$r/usr/lib/systemd/system" && systemd-analyze security --offline=true "$u" 2>&1 | tail -n 1)
        x=$(echo "$line" | sed -n 's/.*exposure level for [^:]*: \([0-9.]*\).*/\1/p')
        [ -n "$x" ] || fail "systemd-analyze security $u: $line"
        echo "$u: exposure $x"
        awk -v x="$x" 'BEGIN { exit !(x > 2.0) }' && worst=1
    done
    [ "$worst" = 0 ] || fail "a unit's exposure is above 2.0"
    ;;

cleanup)
    rm -rf "$work"
    ;;

*)
    fail "unknown step $step"
    ;;
esac
