#!/bin/sh
# Adds up the strict contract mode's counts (one line per hall simulator, written when it ends:
# "requests N responses M violations V pid P") and fails if any simulator saw a violation.
# Usage: tools/contract/strict-summary.sh COUNTS_FILE
set -eu
f=$1
if [ ! -s "$f" ]; then
    echo "strict-summary: no hall simulator ran in strict mode in this test run ($f empty)"
    exit 0
fi
awk '
$1 != "requests" || $3 != "responses" || $5 != "violations" { bad = 1; next }
{ sims++; req += $2; resp += $4; viol += $6 }
END {
    if (bad) { print "strict-summary: a malformed line in the counts"; exit 1 }
    printf "strict-summary: %d requests and %d responses validated against docs/api/hall.yaml by %d hall simulators, %d violations\n", req, resp, sims, viol
    exit viol > 0
}' "$f"
