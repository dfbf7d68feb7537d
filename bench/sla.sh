#!/usr/bin/env bash
# SLA clocks benchmark (docs/journeys.md): the clock rules alone over a million clocks, then
# ComputeSla end to end on a SQLite hub of N opportunities and cases (bench/sla_bench.cc).
# usage: bench/sla.sh [N]   (default 1000000; the database is /tmp/cxhub_sla_bench_N.db, made anew)
set -euo pipefail
n=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCXHUB_BENCH=ON >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target sla_bench >/dev/null
db=/tmp/cxhub_sla_bench_$n.db
rm -f "$db" "$db-wal" "$db-shm"
trap 'rm -f "$db" "$db-wal" "$db-shm"' EXIT
/usr/bin/time -f "peak RSS %M KiB, %e s wall" "$build/sla_bench" "$n" "$db"
