#!/usr/bin/env bash
# Configures and builds cxhub. usage: scripts/build.sh [release|asan] [targets…]
#   release → build/       (Release: -O3, as a packager builds it; warnings as errors)
#   asan    → build-asan/  (AddressSanitizer + UndefinedBehaviorSanitizer, -O1)
# Both with warnings as errors (CXHUB_WERROR=ON); a plain `cmake` build leaves them warnings.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
shift || true
jobs=$(nproc 2>/dev/null || echo 2)
# CXHUB_TESTS=OFF builds only the binary (scripts/run.sh: no test libraries needed).
tests=${CXHUB_TESTS:-ON}
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release "-DCXHUB_TESTS=$tests" -DCXHUB_WERROR=ON) ;;
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DCXHUB_SANITIZE=ON "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g" "-DCXHUB_TESTS=$tests" -DCXHUB_WERROR=ON) ;;
  *) echo "usage: $0 [release|asan] [targets…]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
if [ $# -gt 0 ]; then
  cmake --build "$dir" -j "$jobs" --target "$@"
else
  cmake --build "$dir" -j "$jobs"
fi
