#!/bin/sh
# HTTP API benchmark: GET /healthz (the floor), search-as-you-type and the account view, at 8,
# 64 and 256 connections, DURATION seconds each, with wrk (Debian package wrk): requests/s and
# p50/p99 from wrk --latency, and the server's CPU time per request (from /proc). Then search
# at 64 connections while SLOW clients (default 50) trickle their headers (p99 beside the one
# without them), and POST /api/v1/interactions at 64 connections (interactions/s, with the audit
# rows counted). The hub is `cxhub demo` with ACCOUNTS accounts and INTERACTIONS interactions.
# Search is measured twice: the one query `okaf`, and QUERIES (default 600) names of the hub typed
# in turn (prefixes, typos, whole names: no cache can carry those).
# ONLY=search measures search alone (the two searches at 8, 64 and 256 connections, beside the
# floor), to compare builds of search in the same minute; HUB=FILE serves a copy of a hub made
# before (the same `cxhub demo`) instead of making one; SERVE_OPTS adds options to `cxhub serve`
# (e.g. "--workers 2", to compare the server's pool sizes).
# Usage: [DURATION=30] [ACCOUNTS=20000] [INTERACTIONS=200000] [SLOW=50] [QUERIES=600]
#        [ONLY=search] [HUB=FILE] [SERVE_OPTS=...] bench/http.sh BUILD_DIR
set -eu
BUILD=$1
DURATION=${DURATION:-30}
ACCOUNTS=${ACCOUNTS:-20000}
INTERACTIONS=${INTERACTIONS:-200000}  # the most `demo` makes
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
WORK=$(mktemp -d /tmp/cxhub-http-bench.XXXXXX)
PID=""
SLOWPID=""
trap '[ -n "$SLOWPID" ] && kill "$SLOWPID" 2>/dev/null; [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
export CXHUB_DB="sqlite:$WORK/hub.db"
if [ -n "${HUB:-}" ]; then
  sqlite3 "$HUB" ".backup '$WORK/hub.db'"
else
  "$BUILD/cxhub" demo --accounts "$ACCOUNTS" --interactions "$INTERACTIONS" --seed 7 >/dev/null
fi
printf '%s\n' 'bench password 1' | "$BUILD/cxhub" user add bench --role manager --password-stdin >/dev/null
TOKEN=$("$BUILD/cxhub" token create bench 2>/dev/null)
# shellcheck disable=SC2086 # SERVE_OPTS is a list of options
"$BUILD/cxhub" serve --listen 127.0.0.1:0 ${SERVE_OPTS:-} 2> "$WORK/log" &
PID=$!
i=0
while ! grep -q listening "$WORK/log" 2>/dev/null; do
  i=$((i + 1)); [ "$i" -gt 100 ] && { echo "the server did not start"; cat "$WORK/log"; exit 1; }
  sleep 0.1
done
URL=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$WORK/log" | head -1)
ACCOUNT=${ACCOUNT:-A-000001}
# Every route must answer 200 before it is measured (a benchmark of 404s says nothing).
for route in "/healthz" "/api/v1/search?q=okaf&limit=10" "/api/v1/accounts/$ACCOUNT"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL$route")
  [ "$code" = 200 ] || { echo "$route answers $code, not 200"; exit 1; }
done
echo "hub: ${HUB:-$ACCOUNTS accounts, $INTERACTIONS interactions}; server $URL; account $ACCOUNT"

# Search as people type it, not one query again and again (which caches of any kind would carry):
# QUERIES names of the hub's accounts and contacts, spread over it, each as a prefix typed so far
# (a first word and the start of the next), with a typo (two letters swapped), or whole in lower
# case; a wrk script sends them in turn, each thread from its own place in the list.
QUERIES=${QUERIES:-600}
sqlite3 "$WORK/hub.db" "SELECT * FROM (SELECT name FROM accounts WHERE rowid % 7 = 3 LIMIT
  $QUERIES / 2) UNION ALL SELECT * FROM (SELECT full_name FROM contacts WHERE rowid % 7 = 3
  LIMIT $QUERIES - $QUERIES / 2)" |
  awk 'BEGIN { for (i = 0; i < 256; i++) ord[sprintf("%c", i)] = i }
    function enc(s,   out, i, c) {
      out = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        out = out (c ~ /[A-Za-z0-9]/ ? c : sprintf("%%%02X", ord[c]))
      }
      return out
    }
    {
      q = $0
      if (NR % 3 == 1) { q = $1; if (NF > 1) q = q " " substr($2, 1, 2 + NR % 3) }
      else if (NR % 3 == 2 && length(q) > 5) q = substr(q, 1, 2) substr(q, 4, 1) substr(q, 3, 1) substr(q, 5)
      else q = tolower(q)
      printf "  \"%s\",\n", enc(q)
    }' > "$WORK/queries"
[ "$(wc -l < "$WORK/queries")" -ge 100 ] || { echo "too few names for the search queries"; exit 1; }
{
  echo "local queries = {"
  cat "$WORK/queries"
  echo "}"
  cat <<'EOS'
local i = 0
function setup(thread) thread:set("start", math.random(1, #queries)) end
function init(args) i = start or 0 end
function request()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/search?q=" .. queries[i] .. "&limit=10")
end
EOS
} > "$WORK/search.lua"

# The server's CPU time so far (user + system), in clock ticks (/proc/PID/stat fields 14, 15).
TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }

# One wrk run: prints "req/s p50 p99 cpu/req (errors)" for the given route and connections;
# cpu/req is the server's CPU time (all its threads) divided by the requests answered, which a
# busy shared machine distorts far less than wall times.
measure() {  # measure CONNS PATH [wrk options…]
  c=$1; route=$2; shift 2
  t0=$(cpu_ticks)
  wrk -t 2 -c "$c" -d "${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$@" "$URL$route" \
    > "$WORK/wrk" 2>&1
  t1=$(cpu_ticks)
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/wrk")
  p50=$(sed -n 's/^ *50% *\([0-9.a-z]*\).*/\1/p' "$WORK/wrk")
  p99=$(sed -n 's/^ *99% *\([0-9.a-z]*\).*/\1/p' "$WORK/wrk")
  n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$WORK/wrk")
  cpu=$(awk -v t="$((t1 - t0))" -v hz="$TICKS" -v n="${n:-0}" \
    'BEGIN { if (n > 0) printf "%.3fms", t * 1000 / hz / n; else print "-" }')
  errs=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$WORK/wrk")
  printf '%10s %9s %9s %9s %s\n' "$rps" "$p50" "$p99" "$cpu" "${errs:+($errs non-2xx)}"
}

printf '%-22s %6s %10s %9s %9s %9s\n' route conns req/s p50 p99 cpu/req
for c in 8 64 256; do
  for route in "/healthz" "/api/v1/search?q=okaf&limit=10" "/api/v1/accounts/$ACCOUNT"; do
    [ "${ONLY:-}" = search ] && [ "${route#/api/v1/accounts}" != "$route" ] && continue
    printf '%-22.22s %6s ' "$route" "$c"; measure "$c" "$route"
  done
  printf '%-22.22s %6s ' "search, $QUERIES queries" "$c"; measure "$c" /api/v1/search -s "$WORK/search.lua"
done
[ "${ONLY:-}" = search ] && exit 0

# Slow clients: each opens a connection and sends one header line a second, never finishing
# (the server cuts them off after --header-timeout and they come back). All of them live in one
# Python process that sleeps between lines, so what they cost the machine is the server's own
# work for them, not 50 shells starting `sleep` every second.
SLOW=${SLOW:-50}
HOSTPORT=${URL#http://}
cat > "$WORK/slow.py" <<'EOS'
import socket, sys, time
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def connect():
    s = socket.create_connection((host, port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    return [s, 0]
clients = [connect() for _ in range(n)]
while True:
    time.sleep(1)
    for c in clients:
        try:
            c[0].sendall(b"X-Slow-%d: y\r\n" % c[1])
            c[1] += 1
        except OSError:  # cut off by the server: come back
            c[0].close()
            c[:] = connect()
EOS
printf '%-34s %10s %9s %9s %9s\n' "search at 64 conns" req/s p50 p99 cpu/req
printf '%-34s ' "  without slow clients"; measure 64 "/api/v1/search?q=okaf&limit=10"
python3 "$WORK/slow.py" "${HOSTPORT%:*}" "${HOSTPORT#*:}" "$SLOW" &
SLOWPID=$!
sleep 2
printf '%-34s ' "  with $SLOW slow clients"; measure 64 "/api/v1/search?q=okaf&limit=10"
kill "$SLOWPID" 2>/dev/null || true
SLOWPID=""

# Logging interactions: POST /api/v1/interactions at 64 connections (each request a new
# interaction, audited), then the rows written.
CONTACT=$(curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/contacts?limit=1" |
  sed -n 's/.*"id":"\(C-[0-9]*\)".*/\1/p' | head -1)
cat > "$WORK/post.lua" <<EOS
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"contact_id":"$CONTACT","channel":"phone","notes":"bench call"}'
EOS
before=$(sqlite3 "$WORK/hub.db" "SELECT count(*) FROM audit WHERE action = 'create' AND entity = 'interaction'")
printf '%-34s ' "POST /api/v1/interactions, 64"; measure 64 /api/v1/interactions -s "$WORK/post.lua"
after=$(sqlite3 "$WORK/hub.db" "SELECT count(*) FROM audit WHERE action = 'create' AND entity = 'interaction'")
echo "audit rows of created interactions: $((after - before)) in ${DURATION}s"
