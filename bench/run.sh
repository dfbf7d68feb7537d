#!/usr/bin/env bash
# Runs every benchmark script in bench/ (each prints its own figures).
# usage: bench/run.sh [small|full]
#   small (default, `make bench`): each script at a small scale that starts, runs through and
#          prints its figures in minutes on 2 cores; the figures check the machinery, not the
#          goals.
#   full:  each script at its own default scale (the scale of bench/README.md's figures;
#          hours on 2 cores).
# A script not listed below runs without arguments.
set -euo pipefail
cd "$(dirname "$0")"
scale=${1:-small}
case "$scale" in
  small | full) ;;
  *) echo "usage: $0 [small|full]" >&2; exit 2 ;;
esac
root=$(cd .. && pwd)
# erp.sh takes the build folder holding cxhub and erp_bench (the others build their own).
build=${BENCH_BUILD_DIR:-$root/build}
if [ -f erp.sh ]; then
  cmake -S "$root" -B "$build" -DCXHUB_BENCH=ON >/dev/null
  cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target cxhub erp_bench >/dev/null
fi

# args SCRIPT: the arguments (and environment) of SCRIPT at this scale, one per line.
args() {
  case "$scale:$1" in
    small:dedupe.sh) echo 20000 ;;
    small:erp.sh) printf '%s\n' "$build" 20000 100000 ;;
    full:erp.sh) echo "$build" ;;
    small:workbook.sh) echo 64 ;;
    full:populated.sh) echo 1 ;;  # small: its own default, a hundredth
  esac
}

failed=0
for s in *.sh; do
  case "$s" in
    run.sh | erp_sql_bound.sh) continue ;;  # this file; a part of erp.sh
  esac
  echo "== $s ($scale) =="
  mapfile -t a < <(args "$s")
  env_scale=()
  [ "$scale:$s" = small:kpi_bench.sh ] && env_scale=(SCALE=0.01 RUNS=1)
  if ! env "${env_scale[@]}" bash "$s" "${a[@]}"; then
    echo "FAILED: $s"
    failed=1
  fi
done
exit "$failed"
