#!/bin/sh
# Two servers on one PostgreSQL hub (docs/postgresql.md, "Several servers"): POST
# /api/v1/interactions at 64 connections with wrk (Debian package wrk) against one `cxhub serve`,
# then against two at once (32 connections each, one wrk process per server, the same number of
# client threads), in the same run, on one hub in a throwaway PostgreSQL (tests/pg_server.py:
# Unix socket, fsync off). Prints interactions/s of each and their ratio, the machine's CPU use
# during each run (what bounds the ratio on a small machine) and the rows stored beside the 201s
# answered (a request still in flight when wrk stops may be stored without being counted).
# Usage: [DURATION=20] [WRITE_WORKERS=2] bench/pg_multi.sh BUILD_DIR
set -eu
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-20}
WRITE_WORKERS=${WRITE_WORKERS:-2}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
if [ -z "${CXHUB_TEST_STORE_URL:-}" ]; then
  # Start a throwaway PostgreSQL and run this script again inside it.
  exec /usr/bin/python3 "$HERE/tests/pg_server.py" run -- sh "$0" "$BUILD"
fi
PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -1)
DB=$CXHUB_TEST_STORE_URL
WORK=$(mktemp -d /tmp/cxhub-pg-multi.XXXXXX)
trap 'for f in "$WORK"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; rm -rf "$WORK"' EXIT
cx() { "$BUILD/cxhub" --db "$DB" "$@"; }
q() { "$PSQL" -X -At -c "$1"; }

cx init >/dev/null
printf '%s\n' 'bench password 1' | cx user add bench --role manager --password-stdin >/dev/null
TOKEN=$(cx token create bench 2>/dev/null)
cx account add --name "Bench Motors Ltd" --division Motors >/dev/null
cx contact add --name "Bench Person" --account A-000001 >/dev/null

start() {  # start NAME: a server; its URL is printed
  "$BUILD/cxhub" --db "$DB" serve --listen 127.0.0.1:0 --write-workers "$WRITE_WORKERS" >/dev/null \
    2> "$WORK/$1.log" &
  echo $! > "$WORK/$1.pid"
  i=0
  while ! grep -q listening "$WORK/$1.log" 2>/dev/null; do
    i=$((i + 1)); [ "$i" -gt 100 ] && { echo "server $1 did not start" >&2; cat "$WORK/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$WORK/$1.log" | head -1
}
ONE=$(start one)
TWO=$(start two)
cat > "$WORK/post.lua" <<'EOS'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"contact_id":"C-000001","channel":"phone","notes":"bench call"}'
EOS
for u in "$ONE" "$TWO"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"contact_id":"C-000001","channel":"phone"}' \
    "$u/api/v1/interactions")
  [ "$code" = 201 ] || { echo "POST /api/v1/interactions on $u answers $code, not 201"; exit 1; }
done

# The machine's busy share between two reads of /proc/stat (user+nice+system+irq+softirq+steal
# over all but idle and iowait).
cpu() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
busy() {  # busy "BEFORE" "AFTER"
  echo "$1 $2" | awk '{ if ($4 > $2) printf "%.0f%%", 100 * ($3 - $1) / ($4 - $2); else print "-" }'
}
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
ok() {  # 2xx answers in a wrk output
  n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$1")
  e=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1")
  echo $((n - ${e:-0}))
}
run() {  # run LABEL URL… : 64 connections shared by the URLs, one wrk per URL, at once
  label=$1; shift
  conns=$((64 / $#)); threads=$((2 / $#)); [ "$threads" -lt 1 ] && threads=1
  before=$(q "SELECT count(*) FROM interactions")
  c0=$(cpu)
  k=0
  for u in "$@"; do
    k=$((k + 1))
    wrk -t "$threads" -c "$conns" -d "${DURATION}s" -s "$WORK/post.lua" \
      -H "Authorization: Bearer $TOKEN" "$u/api/v1/interactions" > "$WORK/wrk.$label.$k" 2>&1 &
  done
  wait
  c1=$(cpu)
  sleep 1  # requests still in flight when wrk stopped
  after=$(q "SELECT count(*) FROM interactions")
  total=0; acked=0; k=0
  for u in "$@"; do
    k=$((k + 1))
    total=$(echo "$total $(rps "$WORK/wrk.$label.$k")" | awk '{ printf "%.1f", $1 + $2 }')
    acked=$((acked + $(ok "$WORK/wrk.$label.$k")))
  done
  printf '%-12s %12s %8s %12s %12s\n' "$label" "$total" "$(busy "$c0" "$c1")" "$acked" \
    "$((after - before))"
  echo "$total" > "$WORK/rps.$label"
}
echo "POST /api/v1/interactions, 64 connections, ${DURATION}s each, --write-workers $WRITE_WORKERS," \
  "$(nproc) cores"
printf '%-12s %12s %8s %12s %12s\n' servers "interactions/s" "cpu" "201s" "rows stored"
run one "$ONE"
run two "$ONE" "$TWO"
awk -v a="$(cat "$WORK/rps.one")" -v b="$(cat "$WORK/rps.two")" \
  'BEGIN { if (a > 0) printf "two servers / one server: %.2fx\n", b / a }'
five=$(cat "$WORK/one.log" "$WORK/two.log" | grep -c '"status":5' || true)
echo "5xx answers in the access logs: $five"
dups=$(q "SELECT count(*) - count(DISTINCT id) FROM interactions")
audit=$(q "SELECT (SELECT count(*) FROM interactions) - (SELECT count(*) FROM audit WHERE entity = 'interaction' AND action = 'create')")
echo "duplicate ids: $dups; interactions without exactly one audit entry: $audit"
