#!/usr/bin/env bash
# Configures and builds cxhub. usage: [CXHUB_BUILD_DIR=dir] scripts/build.sh [release|asan] [targets…]
#   release → build/       (GCC, Release: -O3, as a packager builds it)
#   asan    → build-asan/  (Clang, AddressSanitizer + UndefinedBehaviorSanitizer, -O1 -g1, and
#             libFuzzer's coverage hooks: the same tree builds the sanitizer tests and the fuzz
#             targets of scripts/fuzz.sh; docs/testing.md)
# Both with warnings as errors (CXHUB_WERROR=ON); a plain `cmake` build leaves them warnings.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
shift || true
jobs=$(nproc 2>/dev/null || echo 2)
# CXHUB_TESTS=OFF builds only the binary (scripts/run.sh: no test libraries needed).
tests=${CXHUB_TESTS:-ON}
case "$kind" in
  release) dir=build; cc=(); flags=(-DCMAKE_BUILD_TYPE=Release "-DCXHUB_TESTS=$tests" -DCXHUB_WERROR=ON) ;;
  # -g1 (line tables) is what the sanitizers' and libFuzzer's reports need for file:line in
  # every frame; full -g only makes the objects (and the link) bigger and slower.
  asan) dir=build-asan; cc=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++)
        flags=(-DCMAKE_BUILD_TYPE=Debug -DCXHUB_SANITIZE=ON -DCXHUB_FUZZ=ON "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1"
               "-DCMAKE_C_FLAGS_DEBUG=-O1 -g1" "-DCXHUB_TESTS=$tests" -DCXHUB_WERROR=ON) ;;
  *) echo "usage: $0 [release|asan] [targets…]" >&2; exit 2 ;;
esac
dir=${CXHUB_BUILD_DIR:-$dir}
# A tree configured earlier with another compiler (build-asan was a GCC tree) starts afresh:
# CMake cannot switch a configured tree's compiler.
if [ ${#cc[@]} -gt 0 ] && [ -f "$dir/CMakeCache.txt" ] &&
   ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++$' "$dir/CMakeCache.txt"; then
  rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
fi
cmake -S . -B "$dir" "${cc[@]}" "${flags[@]}" >/dev/null
if [ $# -gt 0 ]; then
  cmake --build "$dir" -j "$jobs" --target "$@"
else
  cmake --build "$dir" -j "$jobs"
fi
