#!/usr/bin/env bash
# Search-first on PostgreSQL at a million contacts (docs/postgresql.md, "Search"): a workbook of
# ACCOUNTS accounts and CONTACTS contacts (no interactions) is imported into an SQLite hub and
# moved (`move-store`) into a throwaway PostgreSQL (tests/pg_server.py: Unix socket, fsync off),
# then `search_bench` looks up SAMPLES contacts by name (within their company, as `contact add
# --account` does) and SAMPLES accounts by name, as typed (a case change, a swap, a dropped
# suffix), on both hubs: p50/p95/p99 wall and the client's CPU. On PostgreSQL most of a look-up
# is the server's CPU; the script prints the server's CPU per look-up too (its processes' CPU
# from /proc over the look-ups, divided by their number).
# usage: [ACCOUNTS=50000] [CONTACTS=1000000] [SAMPLES=500] bench/pg_search.sh [BUILD_DIR]
# Goal: p95 < 20 ms at a million contacts on PostgreSQL.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
acc=${ACCOUNTS:-50000}; con=${CONTACTS:-1000000}; samples=${SAMPLES:-500}
for b in workbook_bench search_bench cxhub; do
  [ -x "$build/$b" ] || { echo "$build/$b is missing (cmake -DCXHUB_BENCH=ON; make $b)" >&2; exit 2; }
done
if [ -z "${CXHUB_TEST_STORE_URL:-}" ]; then
  exec /usr/bin/python3 "$root/tests/pg_server.py" run -- bash "$0" "$build"
fi
W=$(mktemp -d /tmp/cxhub-pgsearch.XXXXXX)
trap 'rm -rf "$W"' EXIT
URL=$CXHUB_TEST_STORE_URL
echo "== $acc accounts, $con contacts"
"$build/workbook_bench" gen "$W/wb.xlsx" "$acc" "$con" 0 >/dev/null
"$build/cxhub" --db "sqlite:$W/hub.db" init >/dev/null
/usr/bin/time -f "import-workbook into SQLite: %e s" "$build/cxhub" --db "sqlite:$W/hub.db" \
  import-workbook "$W/wb.xlsx" >/dev/null
/usr/bin/time -f "move-store to PostgreSQL: %e s" -o "$W/time" "$build/cxhub" \
  --db "sqlite:$W/hub.db" move-store --to "$URL" >/dev/null 2>"$W/move" ||
  { cat "$W/move"; exit 1; }
cat "$W/time"
psql=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -1)
"$psql" -X -q -d "$URL" -c "VACUUM (ANALYZE)"
# The server's CPU seconds so far: its postmaster's own and its ended backends' (cutime, cstime)
# and every live child's.
pm=$(head -1 "$("$psql" -X -A -t -d "$URL" -c 'SHOW data_directory')/postmaster.pid")
server_ticks() {
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for c in $(pgrep -P "$pm"); do awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null; done; } |
    awk '{ s += $1 } END { print s }'
}
for kind in contact account; do
  for where in "sqlite:$W/hub.db" "$URL"; do
    backend=${where%%:*}
    t0=$(server_ticks)
    SEARCH_BENCH_KIND=$kind "$build/search_bench" "$where" "$samples" name >"$W/out"
    sleep 1  # the look-ups' backend ends and its CPU goes to the postmaster's children's
    t1=$(server_ticks)
    sed "s/^/  $backend, ${kind}s: /" "$W/out"
    if [ "$backend" = postgresql ]; then
      awk -v a="$t0" -v b="$t1" -v n="$samples" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "  postgresql, %ss: server CPU %.2f ms a look-up (with the sampling)\n",
                 "'$kind'", (b - a) * 1000 / hz / n }'
    fi
  done
done
