#!/bin/sh
# The hall contract (docs/api/hall.yaml) checked by an independent OpenAPI 3 validator
# (@apidevtools/swagger-cli, pinned in tools/contract/package.json, installed by
# tools/install-deps.sh), then the same validator on a copy with a planted error, which must fail:
# a broken contract fails CI, and the check is shown to catch the kind of error it was added for
# (an unquoted comma in a flow-style description that splits the mapping into stray keys).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cli="$root/tools/contract/node_modules/.bin/swagger-cli"
if [ ! -x "$cli" ]; then
    echo "check-openapi: $cli missing: run tools/install-deps.sh" >&2
    exit 1
fi
"$cli" validate "$root/docs/api/hall.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s/description: 'optional, for the SMS notices (取号\/叫号)'/description: optional, for the SMS notices/" \
    "$root/docs/api/hall.yaml" > "$tmp/planted.yaml"
if cmp -s "$root/docs/api/hall.yaml" "$tmp/planted.yaml"; then
    echo "check-openapi: the planted error was not planted (the line changed?)" >&2
    exit 1
fi
if "$cli" validate "$tmp/planted.yaml" > "$tmp/out" 2>&1; then
    echo "check-openapi: the validator accepted a contract with a planted error" >&2
    exit 1
fi
echo "check-openapi: a planted error is refused:"
head -3 "$tmp/out"
