#!/usr/bin/env bash
# Runs every benchmark script in bench/ (each prints its own figures).
# usage: bench/run.sh [small|full]
#   small (default, `make bench`): each script at a small scale that starts, runs through and
#          prints its figures; all of them in about ten minutes on 2 cores. The figures check
#          the machinery, not the goals.
#   full:  each script at the scale of bench/README.md's figures (`make bench-full`; hours on
#          2 cores).
# Every script uses the one build folder BENCH_BUILD_DIR (default build/), built here first. A
# script missing from the tables below runs without arguments; one that fails is named at the
# end and makes the run fail, and the next one still runs.
set -euo pipefail
cd "$(dirname "$0")"
scale=${1:-small}
case "$scale" in
  small | full) ;;
  *) echo "usage: $0 [small|full]" >&2; exit 2 ;;
esac
root=$(cd .. && pwd)
build=${BENCH_BUILD_DIR:-$root/build}
export BENCH_BUILD_DIR=$build
cmake -S "$root" -B "$build" -DCXHUB_BENCH=ON >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" \
  --target cxhub erp_bench search_bench kpi_bench sla_bench workbook_bench >/dev/null

# args SCRIPT: the arguments of SCRIPT at this scale, one per line.
args() {
  case "$scale:$1" in
    small:dedupe.sh) echo 20000 ;;
    small:erp.sh) printf '%s\n' "$build" 20000 100000 ;;
    full:erp.sh | small:http.sh | full:http.sh | small:web_budget.sh | full:web_budget.sh | \
      small:pg_search.sh | full:pg_search.sh | small:pg_kpi.sh | full:pg_kpi.sh) echo "$build" ;;
    small:populated.sh) echo 100 ;;
    full:populated.sh | full:pg_scale.sh) echo 1 ;;
    small:pg_scale.sh) echo 200 ;;
    small:sla.sh) echo 20000 ;;
    small:workbook.sh) echo 64 ;;
  esac
}
# envs SCRIPT: the environment of SCRIPT at this scale, one NAME=VALUE per line.
envs() {
  case "$scale:$1" in
    small:erp.sh) echo REPS=1 ;;
    small:http.sh) printf '%s\n' DURATION=3 ACCOUNTS=2000 INTERACTIONS=20000 ;;
    small:kpi_bench.sh) printf '%s\n' SCALE=0.01 RUNS=1 ;;
    small:pg_search.sh) printf '%s\n' ACCOUNTS=500 CONTACTS=10000 SAMPLES=50 ;;
    small:pg_kpi.sh) printf '%s\n' SCALE=0.01 RUNS=1 ;;
    small:web_budget.sh) printf '%s\n' ACCOUNTS=2000 INTERACTIONS=20000 RUNS=2 SAVES=10 LH_RUNS=1 ;;
  esac
}

failed=()
for s in *.sh; do
  case "$s" in
    run.sh | erp_sql_bound.sh) continue ;;  # this file; a part of erp.sh
  esac
  echo "== $s ($scale) $(date -u +%H:%M:%S) =="
  mapfile -t a < <(args "$s")
  mapfile -t e < <(envs "$s")
  # Each script reads nothing from this loop's stdin (a command of one could swallow it).
  if ! env "${e[@]}" bash "$s" "${a[@]}" </dev/null; then
    echo "FAILED: $s"
    failed+=("$s")
  fi
done
echo "== done $(date -u +%H:%M:%S) =="
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
