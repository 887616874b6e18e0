#!/usr/bin/env bash
# Installs the Debian 12 packages the kiosk builds, runs and tests with. Idempotent: packages that
# are already installed are skipped, and apt-get runs only when something is missing.
# Usage: tools/install-deps.sh [--runtime]   (default: everything for build, demo and tests)
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config git help2man
  libsdl2-dev libimgui-dev libfreetype-dev libstb-dev
  libcurl4-openssl-dev libzxing-dev libusb-1.0-0-dev libv4l-dev
  doctest-dev libsqlite3-dev libsqlitecpp-dev nlohmann-json3-dev libtomlplusplus-dev libspdlog-dev
  libsodium-dev libmosquitto-dev libcups2-dev libcpp-httplib-dev libsystemd-dev libssl-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  libcairo2-dev python3-yaml
)
runtime_pkgs=(
  fonts-noto-cjk fonts-babelstone-han xvfb xauth espeak-ng
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice
)
test_pkgs=(
  clang libclang-rt-14-dev mosquitto cups cups-bsd printer-driver-cups-pdf sqlite3 procps
  libzbar-dev libqrencode-dev
  gstreamer1.0-tools coturn poppler-utils clang-tidy
  python3-jsonschema chromium
  lintian mmdebstrap cage xwayland
  libseccomp-dev
)

want=("${build_pkgs[@]}" "${runtime_pkgs[@]}")
[[ "${1:-}" == "--runtime" ]] && want=("${runtime_pkgs[@]}")
[[ "${1:-}" == "--all" || -z "${1:-}" ]] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

# Development-time checkers Debian lacks, from npm and pinned (tools/contract/package.json and its
# lock): the independent OpenAPI validator of docs/api/hall.yaml. Tests only; nothing is shipped.
contract_checkers() {
  [[ "${1:-}" == "--runtime" ]] && return 0
  local dir
  dir="$(cd "$(dirname "$0")/contract" && pwd)"
  [[ -x "$dir/node_modules/.bin/swagger-cli" ]] && return 0
  if ! command -v npm >/dev/null; then
    local s=""
    [[ $(id -u) -ne 0 ]] && s="sudo"
    $s apt-get update -qq
    $s apt-get install -y -qq nodejs npm
  fi
  echo "install-deps: npm ci in tools/contract (pinned OpenAPI validator)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#want[@]} packages present"
  contract_checkers "${1:-}"
  exit 0
fi

SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}"
contract_checkers "${1:-}"
