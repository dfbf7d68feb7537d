#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz/*_fuzz.cc) with clang and runs each for N seconds.
# usage: [FUZZ_TARGETS="a_fuzz b_fuzz"] [FUZZ_BUILD_DIR=dir] scripts/fuzz.sh [SECONDS]
#   (default 60 s; all targets). Exit status is non-zero when a target crashes. FUZZ_TIMEOUT:
# seconds one input may take before it counts as a hang (default 10; a long run at nice 19 on a
# busy machine needs more, as the process can wait that long for a core).
# The targets are built in the sanitizer tree (scripts/build.sh asan → build-asan/, unless
# FUZZ_BUILD_DIR names another): its library objects carry libFuzzer's coverage hooks
# (fuzzer-no-link), so coverage guides the fuzzer into them, and scripts/test.sh's sanitizer
# tests have built most of them already.
# Seed corpora: tests/fuzz/corpus/<target>/ when present, plus tests/data/*.xlsx for xlsx targets;
# a dictionary: tests/fuzz/<target>.dict when present. The targets: docs/reliability.md.
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-asan}
# Every target is built before any runs: a long run fuzzes the sources as they were when it began.
targets=()
if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<< "$FUZZ_TARGETS"
else
  for src in "$root"/tests/fuzz/*_fuzz.cc; do targets+=("$(basename "$src" .cc)"); done
fi
CXHUB_BUILD_DIR="$build" bash "$root/scripts/build.sh" asan "${targets[@]}" >/dev/null
status=0
failed_targets=()
for name in "${targets[@]}"; do
  work=$(mktemp -d)
  corpus="$work/corpus"
  mkdir -p "$corpus"
  if [ -d "$root/tests/fuzz/corpus/$name" ]; then cp "$root/tests/fuzz/corpus/$name"/* "$corpus/" 2>/dev/null || true; fi
  case "$name" in
    xlsx*) for f in "$root"/tests/data/*.xlsx; do
             [ -e "$f" ] || continue
             # The targets read the first byte as a mode; 0 = a whole .xlsx file.
             { printf '\0'; cat "$f"; } > "$corpus/$(basename "$f")"
           done ;;
  esac
  dict=()
  if [ -f "$root/tests/fuzz/$name.dict" ]; then dict=(-dict="$root/tests/fuzz/$name.dict"); fi
  echo "fuzzing $name for ${seconds}s"
  if ! (cd "$work" && "$build/$name" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" "$corpus"); then
    echo "fuzz target $name failed; the crash input is in $work" >&2
    # The folder is gone with the machine (CI): the input goes into the log too, to be replayed
    # with `base64 -d > input && build-asan/$name input`.
    for input in "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-* "$work"/slow-unit-*; do
      [ -e "$input" ] || continue
      echo "$name: $(basename "$input") (base64):" >&2
      base64 -w 0 "$input" | head -c 65536 >&2
      echo >&2
    done
    failed_targets+=("$name")
    status=1
  else
    rm -rf "$work"
  fi
done
[ "$status" = 0 ] || echo "fuzz targets that failed: ${failed_targets[*]}" >&2
exit $status
