#!/bin/sh
# Builds and runs the KPI benchmark. SCALE=1.0 generates 10M interactions, 1M opportunities, 5M orders
# (about 6 GB of disk, several minutes); SCALE=0.1 is a tenth of that.
set -e
cd "$(dirname "$0")/.."
SCALE=${SCALE:-1.0}
DB=${DB:-/tmp/kpi_bench_${SCALE}.db}
B=${BENCH_BUILD_DIR:-build}
cmake -S . -B "$B" -DCXHUB_BENCH=ON >/dev/null
cmake --build "$B" -j2 --target kpi_bench >/dev/null
if [ ! -f "$DB" ]; then GEN=--generate; else GEN=; fi
/usr/bin/time -v "$B/kpi_bench" --db "$DB" --scale "$SCALE" $GEN --runs "${RUNS:-3}"
