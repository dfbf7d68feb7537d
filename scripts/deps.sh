#!/usr/bin/env bash
# Installs everything cxhub needs to build, run and test on Debian 12 (idempotent).
# usage: scripts/deps.sh [run|test]   (run: build and run only; test: also test tools)
set -euo pipefail
mode=${1:-test}
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
build_pkgs=(g++ cmake make pkg-config ccache ca-certificates tzdata
  libsqlite3-dev libicu-dev libexpat1-dev libzip-dev zlib1g-dev libxlsxwriter-dev
  nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libhowardhinnant-date-dev
  libsodium-dev libssl-dev libboost-dev libpq-dev libjemalloc-dev)
test_pkgs=(git time libgtest-dev libgmock-dev libbenchmark-dev sqlite3 python3 clang
  libclang-rt-14-dev postgresql clang-format
  python3-openpyxl python3-jsonschema libreoffice-calc-nogui poppler-utils chromium fonts-dejavu-core wrk)
pkgs=("${build_pkgs[@]}")
[ "$mode" = run ] || pkgs+=("${test_pkgs[@]}")
# The web page's test (tests/cli_web_test.py) rebuilds it with Node.js and npm (Debian 12's
# Node 18 or newer). A Node.js that brings its own npm (NodeSource's) conflicts with
# Debian's npm package, so npm is only installed when no npm is there.
if [ "$mode" != run ]; then
  command -v node >/dev/null || pkgs+=(nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
