#!/usr/bin/env bash
# The system calls a unit's SystemCallFilter= lines allow, expanded by systemd itself
# (systemd-analyze syscall-filter, nested @groups too), one a line, sorted; the rules are
# systemd's for those lines:
#   - an empty assignment resets the filter;
#   - the first line decides the mode: without '~' an allow-list, which starts from @default;
#   - later lines without '~' add their calls, lines with '~' take theirs away (in the order
#     the unit has them), so "@system-service, ~@privileged, mincore" is
#     @default + @system-service - @privileged + mincore.
# A ":ERRNO" suffix on a name is dropped (only the allow-list matters here).
#
#   unit-filter.sh UNIT_FILE             the allowed calls
#   unit-filter.sh --errno UNIT_FILE     the unit's SystemCallErrorNumber= (empty: kill)
#   unit-filter.sh --known               the calls systemd knows (@known)
set -euo pipefail
command -v systemd-analyze >/dev/null || {
    echo "unit-filter: no systemd-analyze" >&2
    exit 2
}

# One group (or name), expanded recursively, a call a line.
expand() {
    case $1 in
    @*)
        systemd-analyze syscall-filter "$1" | sed -n '2,$p' | sed 's/^ *//' | grep -v -e '^#' -e '^$' |
            while read -r s; do expand "$s"; done
        ;;
    *) echo "${1%%:*}" ;;
    esac
}

# The unit's values of KEY=, one a line, in order (no drop-ins: the packaged file as shipped).
values() { sed -n "s/^[[:space:]]*$1=//p" "$2"; }

if [[ ${1:-} == --known ]]; then
    expand @known | sort -u
    exit 0
fi
if [[ ${1:-} == --errno ]]; then
    values SystemCallErrorNumber "$2" | tail -n 1
    exit 0
fi
unit=${1:?usage: unit-filter.sh [--errno] UNIT_FILE | --known}
[[ -f "$unit" ]] || {
    echo "unit-filter: no $unit" >&2
    exit 2
}

declare -A set=()
mode=""   # "", allow or deny
while IFS= read -r line; do
    line=$(echo "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
    if [[ -z "$line" ]]; then
        set=()
        mode=""
        continue
    fi
    invert=0
    if [[ $line == ~* ]]; then
        invert=1
        line=${line#\~}
    fi
    if [[ -z "$mode" ]]; then
        if [[ $invert -eq 0 ]]; then
            mode=allow
            for s in $(expand @default); do set[$s]=1; done
        else
            mode=deny
        fi
    fi
    for item in $line; do
        for s in $(expand "$item"); do
            # In an allow-list a '~' line removes; in a deny-list a plain line removes.
            if { [[ $mode == allow ]] && [[ $invert -eq 0 ]]; } || { [[ $mode == deny ]] && [[ $invert -eq 1 ]]; }; then
                set[$s]=1
            else
                unset "set[$s]"
            fi
        done
    done
done < <(values SystemCallFilter "$unit")

if [[ $mode == deny ]]; then
    echo "unit-filter: $unit has a deny-list filter; seccomp-run takes allow-lists only" >&2
    exit 3
fi
[[ $mode == allow ]] || {
    echo "unit-filter: $unit has no SystemCallFilter=" >&2
    exit 3
}
printf '%s\n' "${!set[@]}" | sort -u
