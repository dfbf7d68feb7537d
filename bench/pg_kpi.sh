#!/usr/bin/env bash
# The KPI scorecard and the weekly pack on PostgreSQL beside SQLite, on kpi_bench's hub (SCALE 1.0:
# 200,000 accounts, 400,000 contacts, 10 million interactions, a million opportunities, 5 million
# orders): kpi_bench generates the SQLite hub, `move-store` copies it into a throwaway PostgreSQL
# (tests/pg_server.py; Unix socket, durability off, shared_buffers PG_SHARED_BUFFERS), `VACUUM
# (ANALYZE)` does what autovacuum does after a load, a first reader brings the aggregates up to
# date (then VACUUM again, as autovacuum would), and kpi_bench times the scorecard of a quarter
# and the weekly pack RUNS times on each hub (each pack after a week of edits through the store).
# usage: [SCALE=1.0] [RUNS=2] [PG_SHARED_BUFFERS=1GB] bench/pg_kpi.sh [BUILD_DIR]
# Goals (both backends): scorecard < 500 ms, weekly pack < 3 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
scale=${SCALE:-1.0}; runs=${RUNS:-2}
for b in kpi_bench cxhub; do
  [ -x "$build/$b" ] || { echo "$build/$b is missing (cmake -DCXHUB_BENCH=ON; make $b)" >&2; exit 2; }
done
if [ -z "${CXHUB_TEST_STORE_URL:-}" ]; then
  CXHUB_PG_SERVER_OPTS="-c shared_buffers=${PG_SHARED_BUFFERS:-1GB} -c max_wal_size=4GB" \
    exec /usr/bin/python3 "$root/tests/pg_server.py" run -- bash "$0" "$build"
fi
W=$(mktemp -d /tmp/cxhub-pgkpi.XXXXXX)
trap 'rm -rf "$W"' EXIT
URL=$CXHUB_TEST_STORE_URL
psql=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -1)
echo "== kpi_bench scale $scale, $runs runs"
/usr/bin/time -f "generate the SQLite hub (kpi_bench --generate, aggregates and duplicate index): %e s" \
  "$build/kpi_bench" --db "$W/kpi.db" --scale "$scale" --generate --runs 0 > "$W/gen"
/usr/bin/time -f "move-store to PostgreSQL: %e s" -o "$W/time" "$build/cxhub" \
  --db "sqlite:$W/kpi.db" move-store --to "$URL" >/dev/null 2>"$W/move" ||
  { cat "$W/move"; exit 1; }
cat "$W/time"
/usr/bin/time -f "VACUUM (ANALYZE): %e s" "$psql" -X -q -d "$URL" -c "VACUUM (ANALYZE)"
# The first reader after a move brings the KPI aggregates and the duplicate index up to date
# (their change lists, filled by the move, are then deleted), and autovacuum cleans up after it
# a little later; the timed runs see the hub in that steady state, as a server's users would.
echo "-- postgresql, the first reader after the move"
"$build/kpi_bench" --db "$W/kpi.db" --scale "$scale" --runs 0 --store "$URL" | grep 'up to date'
/usr/bin/time -f "VACUUM (ANALYZE) after it: %e s" "$psql" -X -q -d "$URL" -c "VACUUM (ANALYZE)"
for b in postgresql sqlite; do
  echo "-- $b"
  if [ "$b" = postgresql ]; then store=(--store "$URL"); else store=(); fi
  "$build/kpi_bench" --db "$W/kpi.db" --scale "$scale" --runs "$runs" --show 3 "${store[@]}" |
    tee "$W/$b"
done
echo "== summary (goals: scorecard < 500 ms, pack < 3 s)"
for b in sqlite postgresql; do
  card=$(sed -n 's/^scorecard Q2 2026 ([0-9]* KPIs, trend 0): \([0-9]*\) ms$/\1/p' "$W/$b" | tr '\n' ' ')
  pack=$(sed -n 's/^weekly pack 2026-W20: built \([0-9]*\) ms.*/\1/p' "$W/$b" | tr '\n' ' ')
  printf '%-10s scorecard, runs in turn: %s ms; weekly pack built: %s ms\n' "$b" "$card" "$pack"
done
