# Sourced by tools/test.sh, tools/fuzz-smoke.sh and tools/fuzz-long.sh: what a sanitizer report
# looks like in a log, and a scan that fails on one. A report fails the run even where the process
# that printed it exited 0 (a recoverable UBSan check, a child process whose status nobody reads).

# The first line of every report: UBSan, ASan, LSan, TSan.
kiosk_sanitizer_pattern='runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer|WARNING: ThreadSanitizer'

# The options every sanitized program of ours runs with: UBSan halts on its first report.
kiosk_ubsan_options='print_stacktrace=1:halt_on_error=1'

# kiosk_scan_sanitizer_reports <label> <log>...: prints each report line found (file:line:text,
# at most 20 per log) and returns 1 if there is one.
kiosk_scan_sanitizer_reports() {
    local label=$1 found=0 log hits
    shift
    for log in "$@"; do
        [[ -f "$log" ]] || continue
        hits=$(grep -a -n -E -m 20 "$kiosk_sanitizer_pattern" "$log" || true)
        if [[ -n "$hits" ]]; then
            printf '%s\n' "$hits" | sed "s|^|$log:|"
            found=1
        fi
    done
    if [[ $found == 1 ]]; then
        echo "FAIL: sanitizer report in the $label (lines above)" >&2
        return 1
    fi
    return 0
}
