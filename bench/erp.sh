#!/bin/sh
# ERP sync benchmark: first full sync, no-op re-sync and 1% delta sync of a generated
# customers export, and the first sync of an orders export, each timed (seconds, peak
# RSS) next to `sqlite3 .import` of the same CSV in the same run; the first customers sync
# also next to the plain-SQL bound of its writes (bench/erp_sql_bound.sh).
# Usage: [REPS=3] bench/erp.sh BUILD_DIR [CUSTOMERS] [ORDERS]   (defaults: 1000000 5000000)
# BUILD_DIR must hold cxhub and erp_bench (cmake -DCXHUB_BENCH=ON).
set -eu
BUILD=$1
CUSTOMERS=${2:-1000000}
ORDERS=${3:-5000000}
WORK=$(mktemp -d /tmp/cxhub-erp-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$BUILD/erp_bench" "$WORK" "$CUSTOMERS" "$ORDERS"
ls -l "$WORK"

# time_it LABEL COMMAND…: prints LABEL, wall seconds and peak RSS (MiB).
time_it() {
  label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" || {
    echo "$label: FAILED"; cat "$WORK/err"; return 1; }
  set -- $(tail -1 "$WORK/time")
  printf '%-34s %8.2f s   peak RSS %6d MiB\n' "$label" "$1" $(( $2 / 1024 ))
}

DB="sqlite:$WORK/hub.db"
export CXHUB_DB="$DB"
sh "$(dirname "$0")/erp_sql_bound.sh" "$BUILD/cxhub" "$WORK/customers.csv" "$WORK"
# The floor and the first customers sync, REPS times each in turns (each into a new database),
# and the ratio of their medians: on a shared machine one pair can be a second apart either
# way. The last hub stays for the steps after.
REPS=${REPS:-3}
: > "$WORK/floor.s"
: > "$WORK/first.s"
i=1
while [ "$i" -le "$REPS" ]; do
  rm -f "$WORK/floor.db" "$WORK"/hub.db*
  time_it "sqlite3 .import customers ($i)" sqlite3 "$WORK/floor.db" ".import --csv $WORK/customers.csv customers"
  tail -1 "$WORK/time" | cut -d' ' -f1 >> "$WORK/floor.s"
  "$BUILD/cxhub" init > /dev/null
  time_it "erp-sync customers (first, $i)" "$BUILD/cxhub" erp-sync customers "$WORK/customers.csv"
  tail -1 "$WORK/time" | cut -d' ' -f1 >> "$WORK/first.s"
  i=$((i + 1))
done
median() { sort -n "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
floor=$(median "$WORK/floor.s")
first=$(median "$WORK/first.s")
printf '%-34s %8.2f s / %.2f s = %.2fx the floor (medians of %d)\n' "customers first sync / floor" \
  "$first" "$floor" "$(echo "$first $floor" | awk '{print $1 / $2}')" "$REPS"
time_it "erp-sync customers (no-op)" "$BUILD/cxhub" erp-sync customers "$WORK/customers.csv"
time_it "erp-sync customers (1% delta)" "$BUILD/cxhub" erp-sync customers "$WORK/customers_delta.csv"
time_it "sqlite3 .import orders"     sqlite3 "$WORK/floor.db" ".import --csv $WORK/orders.csv orders"
time_it "erp-sync orders (first)"    "$BUILD/cxhub" erp-sync orders "$WORK/orders.csv"
time_it "erp-sync orders (no-op)"    "$BUILD/cxhub" erp-sync orders "$WORK/orders.csv"
"$BUILD/cxhub" erp-sync history
ls -l "$WORK"/*.db
