#!/usr/bin/env bash
# The same work on both backends, each step beside its floor in the same run (docs/postgresql.md,
# "Bulk loads"): on a new SQLite hub and on a new PostgreSQL hub (a throwaway server this script
# starts the way the tests do, tests/pg_server.py), in this order:
#   1. the floors: `sqlite3 .import` and `psql \copy` of the same CSV files into bare tables
#      (and, on PostgreSQL, the customers again in COPY's text and binary formats);
#   2. erp-sync customers, first sync into the empty hub, then the same file again (no-op);
#   3. erp-sync orders, first sync and no-op;
#   4. import-workbook of accounts, contacts and interactions into that hub;
#   5. the KPI scorecard of a quarter and the weekly pack, each twice (the first brings the
#      aggregates up to date after the loads; the second is the figure), and on PostgreSQL once
#      more after a VACUUM (ANALYZE) of the hub (the state autovacuum brings a little later);
#   6. search-first p95 over the hub's accounts by name, phone and email, and over its contacts
#      by name (search_bench).
# usage: bench/pg_scale.sh [DIVISOR]   DIVISOR 1 = 1,000,000 customers, 5,000,000 orders and a
# workbook of 50,000 accounts, 100,000 contacts and 1,048,575 interactions (a full sheet: the
# issue's 10 million interactions do not fit in one workbook; 10,000,000 / DIVISOR are taken
# when that fits). The default 200 is for `make bench`.
# Goals: first customers sync on PostgreSQL <= 3x `psql \copy` of the file; no-op re-sync < 3 s;
# scorecard < 500 ms; weekly pack < 3 s; search-first p95 < 20 ms.
# Needs: a build with -DCXHUB_BENCH=ON in $BENCH_BUILD_DIR (default build-bench/, made if
# missing), sqlite3, /usr/bin/time, Debian's postgresql (initdb, pg_ctl, psql).
set -euo pipefail
div=${1:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
# CXHUB_BIN: another build's cxhub (say, the one before a change) for the hub steps;
# BACKENDS="postgresql" (or "sqlite") runs only those hubs (the floors always run).
# STEPS=customers: only the customers' floors and the first and no-op customers syncs (to
# iterate on the first sync: no orders, workbook, reports or search).
# PG_STATEMENT_STATS=1: the server logs each statement's CPU (log_statement_stats), and the
# PostgreSQL first customers sync's statements are listed with their CPU, the largest first.
cxhub=${CXHUB_BIN:-$build/cxhub}
backends=${BACKENDS:-sqlite postgresql}
steps=${STEPS:-all}

if [ -z "${PG_SCALE_INSIDE:-}" ]; then
  for b in erp_bench cxhub $([ "${STEPS:-all}" = customers ] || echo workbook_bench search_bench); do
    if [ ! -x "$build/$b" ]; then
      cmake -S "$root" -B "$build" -DCXHUB_BENCH=ON -DCXHUB_TESTS=OFF \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
      cmake --build "$build" -j2 --target workbook_bench erp_bench search_bench cxhub >/dev/null
      break
    fi
  done
  if [ "${PG_STATEMENT_STATS:-}" = 1 ]; then
    export CXHUB_PG_SERVER_OPTS="${CXHUB_PG_SERVER_OPTS:-} -c log_statement_stats=on"
  fi
  # The server lives as long as this script's second half, and goes with it, also on failure.
  PG_SCALE_INSIDE=1 exec /usr/bin/python3 "$root/tests/pg_server.py" run -- bash "$0" "$div"
fi

# psql of the server's own version.
psql=psql
for d in ${CXHUB_PG_BIN:-} $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/psql" ]; then psql="$d/psql"; break; fi
done
PG_URL=$CXHUB_TEST_STORE_URL
W=$(mktemp -d /tmp/cxhub-pgscale.XXXXXX)
chmod 755 "$W"
trap 'rm -rf "$W"' EXIT

acc=$((50000 / div)); con=$((100000 / div)); int=$((10000000 / div))
[ "$int" -gt 1048575 ] && int=1048575
cust=$((1000000 / div)); ord=$((5000000 / div))
echo "== 1/$div scale: $cust customers, $ord orders; workbook $acc accounts, $con contacts," \
  "$int interactions"
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

# Data: the ERP's exports, and a workbook whose ids follow the ERP's accounts (no clash).
"$build/erp_bench" "$W" "$cust" "$(if [ "$steps" = customers ]; then echo 1; else echo "$ord"; fi)" >/dev/null
[ "$steps" = customers ] || WB_NO_ERP=1 WB_FIRST_ID=$((2 * cust + 1)) "$build/workbook_bench" gen "$W/wb.xlsx" "$acc" "$con" \
  "$int" >/dev/null
mkdir -p "$W/csv"
[ "$steps" = customers ] || "$build/workbook_bench" csv "$W/wb.xlsx" "$W/csv" >/dev/null

# The PostgreSQL server's CPU seconds so far: its postmaster's own and its ended backends'
# (cutime, cstime) and every live child's (checkpointer, WAL writer, backends).
pm=$(head -1 "$("$psql" -X -A -t -d "$PG_URL" -c 'SHOW data_directory')/postmaster.pid")
srvcpu() {
  local tck
  tck=$(getconf CLK_TCK)
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for c in $(pgrep -P "$pm"); do awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null; done; } |
    awk -v t="$tck" '{ s += $1 } END { printf "%.2f", s / t }'
}
# t LABEL COMMAND…: times COMMAND; sets $secs; prints wall and CPU seconds (the command's, and
# the PostgreSQL server's over the same time: other work on the server adds to it) and peak RSS.
t() {
  local label=$1 s0 s1
  shift
  s0=$(srvcpu)
  /usr/bin/time -f "%e %M %U %S" -o "$W/time" "$@" >"$W/out" 2>"$W/err" ||
    { echo "$label: FAILED"; cat "$W/err" "$W/out"; exit 1; }
  sleep 0.3  # the backend of a command that just ended is reaped by then
  s1=$(srvcpu)
  read -r secs kib user sys <"$W/time"
  printf '  %-50s %8.2f s  cpu %6.2f s  server cpu %6.2f s  peak RSS %5d MiB\n' "$label" \
    "$secs" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
    "$(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }')" $((kib / 1024))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }

echo "-- 1. floors"
# Bare tables of text columns, one per column of the file's header line.
cols_of() { head -1 "$1" 2>/dev/null | awk -F, '{ for (i = 1; i <= NF; ++i) printf "%sc%d text", (i > 1 ? ", " : ""), i }'; }
cat >"$W/floor.sql" <<SQL
.import --csv $W/csv/Accounts.csv accounts
.import --csv $W/csv/Contacts.csv contacts
.import --csv $W/csv/Interactions.csv interactions
SQL
t "sqlite3 .import customers" sqlite3 "$W/floor.db" ".import --csv $W/customers.csv customers"
sq_floor_cust=$secs
if [ "$steps" != customers ]; then
  t "sqlite3 .import orders" sqlite3 "$W/floor.db" ".import --csv $W/orders.csv orders"
  sq_floor_ord=$secs
  t "sqlite3 .import workbook sheets (as CSV)" sqlite3 "$W/floor.db" ".read $W/floor.sql"
  sq_floor_wb=$secs
fi

"$psql" -q -X -v ON_ERROR_STOP=1 -d "$PG_URL" -c "CREATE DATABASE floor"
FLOOR_URL=${PG_URL%/*}/floor
fpsql=("$psql" -q -X -v ON_ERROR_STOP=1 -d "$FLOOR_URL")  # an array: /usr/bin/time runs it
"${fpsql[@]}" -c "CREATE TABLE customers ($(cols_of "$W/customers.csv"))" \
  -c "CREATE TABLE orders ($(cols_of "$W/orders.csv"))" \
  -c "CREATE TABLE accounts ($(cols_of "$W/csv/Accounts.csv"))" \
  -c "CREATE TABLE contacts ($(cols_of "$W/csv/Contacts.csv"))" \
  -c "CREATE TABLE interactions ($(cols_of "$W/csv/Interactions.csv"))"
t "psql \\copy customers" "${fpsql[@]}" -c "\\copy customers FROM '$W/customers.csv' CSV HEADER"
pg_floor_cust=$secs
if [ "$steps" != customers ]; then
  t "psql \\copy orders" "${fpsql[@]}" -c "\\copy orders FROM '$W/orders.csv' CSV HEADER"
  pg_floor_ord=$secs
  t "psql \\copy workbook sheets (as CSV)" "${fpsql[@]}" \
    -c "\\copy accounts FROM '$W/csv/Accounts.csv' CSV HEADER" \
    -c "\\copy contacts FROM '$W/csv/Contacts.csv' CSV HEADER" \
    -c "\\copy interactions FROM '$W/csv/Interactions.csv' CSV HEADER"
  pg_floor_wb=$secs
fi
# COPY's text and binary formats for the same rows: the store sends text (docs/postgresql.md).
"${fpsql[@]}" -c "\\copy customers TO '$W/customers.txt'" \
  -c "\\copy customers TO '$W/customers.bin' (FORMAT binary)" \
  -c "CREATE TABLE customers_text (LIKE customers)" \
  -c "CREATE TABLE customers_binary (LIKE customers)"
t "psql \\copy customers, COPY text format" \
  "${fpsql[@]}" -c "\\copy customers_text FROM '$W/customers.txt'"
t "psql \\copy customers, COPY binary format" \
  "${fpsql[@]}" -c "\\copy customers_binary FROM '$W/customers.bin' (FORMAT binary)"

declare -A fig
for backend in $backends; do
  if [ "$backend" = sqlite ]; then url="sqlite:$W/hub.db"; else url=$PG_URL; fi
  echo "-- $backend"
  "$cxhub" --db "$url" init >/dev/null
  run() {
    local key=$1 label=$2
    shift 2
    t "$label" "$cxhub" --db "$url" "$@"
    fig[$backend.$key]=$secs
  }
  if [ "$backend" = postgresql ] && [ "${PG_STATEMENT_STATS:-}" = 1 ]; then
    pglog="$("$psql" -X -A -t -d "$PG_URL" -c 'SHOW data_directory')/../server.log"
    from=$(($(wc -l <"$pglog") + 1))
    run cust "erp-sync customers, first ($cust rows)" erp-sync customers "$W/customers.csv"
    # Each statement's user + system CPU from its QUERY STATISTICS, summed per statement text.
    tail -n +"$from" "$pglog" | python3 -c '
import collections, re, sys
cpu = collections.defaultdict(float)
for m in re.finditer(r"QUERY STATISTICS.*?!\s*([\d.]+) s user, ([\d.]+) s system.*?STATEMENT:\s*(.*?)\n",
                     sys.stdin.read(), re.S):
    cpu[re.sub(r"\s+", " ", m.group(3))[:80]] += float(m.group(1)) + float(m.group(2))
for sql, c in sorted(cpu.items(), key=lambda x: -x[1])[:10]:
    print(f"    {c:6.2f} s  {sql}")
print(f"    {sum(cpu.values()):6.2f} s  all statements")'
  else
    run cust "erp-sync customers, first ($cust rows)" erp-sync customers "$W/customers.csv"
  fi
  run cust_noop "erp-sync customers, no-op" erp-sync customers "$W/customers.csv"
  [ "$steps" = customers ] && continue
  run ord "erp-sync orders, first ($ord rows)" erp-sync orders "$W/orders.csv"
  run ord_noop "erp-sync orders, no-op" erp-sync orders "$W/orders.csv"
  run wb "import-workbook ($acc/$con/$int)" import-workbook "$W/wb.xlsx"
  run card1 "kpi scorecard 2025-Q2 (first: catch-up)" kpi --from 2025-04-01 --to 2025-06-30 \
    --trend 0
  run card "kpi scorecard 2025-Q2 (second)" kpi --from 2025-04-01 --to 2025-06-30 --trend 0
  run pack1 "review pack 2025-W20 (first)" review --week 2025-W20 --format html \
    --out "$W/pack.html"
  run pack "review pack 2025-W20 (second)" review --week 2025-W20 --format html \
    --out "$W/pack.html"
  if [ "$backend" = postgresql ]; then
    # The steady state: what autovacuum gives a minute or more after the loads (visibility
    # maps, statistics), which the runs above may or may not have had (docs/postgresql.md,
    # "KPI facts").
    t "VACUUM (ANALYZE) of the hub" "$psql" -q -X -d "$PG_URL" -c "VACUUM (ANALYZE)"
    run card_vac "kpi scorecard 2025-Q2 (after VACUUM)" kpi --from 2025-04-01 --to 2025-06-30 \
      --trend 0
    run pack_vac "review pack 2025-W20 (after VACUUM)" review --week 2025-W20 --format html \
      --out "$W/pack.html"
  fi
  for by in name phone email; do
    "$build/search_bench" "$url" 500 "$by" >"$W/search" 2>&1 ||
      { echo "search_bench $by: FAILED"; cat "$W/search"; exit 1; }
    sed "s/^/  search-first by $by: /" "$W/search"
  done
  SEARCH_BENCH_KIND=contact "$build/search_bench" "$url" 500 name >"$W/search" 2>&1 ||
    { echo "search_bench contacts: FAILED"; cat "$W/search"; exit 1; }
  sed "s/^/  search-first of contacts by name: /" "$W/search"
done

echo "-- ratios"
case " $backends " in *" postgresql "*)
  printf '  %-50s %s (goal <= 3x)\n' "PostgreSQL first customers sync / psql \\copy" \
    "$(ratio "${fig[postgresql.cust]}" "$pg_floor_cust")" ;;
esac
case " $backends " in *" sqlite "*)
  printf '  %-50s %s\n' "SQLite first customers sync / sqlite3 .import" \
    "$(ratio "${fig[sqlite.cust]}" "$sq_floor_cust")" ;;
esac
[ "$backends" = "sqlite postgresql" ] && [ "$steps" != customers ] || exit 0
printf '  %-50s %s; SQLite / .import: %s\n' "PostgreSQL first orders sync / psql \\copy" \
  "$(ratio "${fig[postgresql.ord]}" "$pg_floor_ord")" "$(ratio "${fig[sqlite.ord]}" "$sq_floor_ord")"
printf '  %-50s %s; SQLite / .import: %s\n' "PostgreSQL import-workbook / psql \\copy" \
  "$(ratio "${fig[postgresql.wb]}" "$pg_floor_wb")" "$(ratio "${fig[sqlite.wb]}" "$sq_floor_wb")"
for k in cust cust_noop ord ord_noop wb card pack; do
  printf '  %-50s %s\n' "PostgreSQL / SQLite, $k" \
    "$(ratio "${fig[postgresql.$k]}" "${fig[sqlite.$k]}")"
done
ls -l "$W"/hub.db | awk '{print "  SQLite hub: " $5 " bytes"}'
"$psql" -X -A -t -d "$PG_URL" -c "SELECT '  PostgreSQL hub: ' || pg_database_size(current_database()) || ' bytes'"
