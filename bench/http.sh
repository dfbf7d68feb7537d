#!/bin/sh
# HTTP API benchmark (docs/api.md): GET /healthz (the floor), search-as-you-type and the account
# view, at 8, 64 and 256 connections, DURATION seconds each, with wrk (Debian package wrk):
# requests/s and p50/p99 from wrk --latency. The hub is `cxhub demo` with ACCOUNTS accounts.
# Usage: [DURATION=30] [ACCOUNTS=20000] [INTERACTIONS=200000] bench/http.sh BUILD_DIR
set -eu
BUILD=$1
DURATION=${DURATION:-30}
ACCOUNTS=${ACCOUNTS:-20000}
INTERACTIONS=${INTERACTIONS:-200000}  # the most `demo` makes
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
WORK=$(mktemp -d /tmp/cxhub-http-bench.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
export CXHUB_DB="sqlite:$WORK/hub.db"
"$BUILD/cxhub" demo --accounts "$ACCOUNTS" --interactions "$INTERACTIONS" --seed 7 >/dev/null
printf '%s\n' 'bench password 1' | "$BUILD/cxhub" user add bench --role manager --password-stdin >/dev/null
TOKEN=$("$BUILD/cxhub" token create bench 2>/dev/null)
"$BUILD/cxhub" serve --listen 127.0.0.1:0 2> "$WORK/log" &
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
echo "hub: $ACCOUNTS accounts, $INTERACTIONS interactions; server $URL; account $ACCOUNT"
printf '%-22s %6s %10s %9s %9s\n' route conns req/s p50 p99
for c in 8 64 256; do
  for route in "/healthz" "/api/v1/search?q=okaf&limit=10" "/api/v1/accounts/$ACCOUNT"; do
    wrk -t 2 -c "$c" -d "${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$URL$route" \
      > "$WORK/wrk" 2>&1
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/wrk")
    p50=$(sed -n 's/^ *50% *\([0-9.a-z]*\).*/\1/p' "$WORK/wrk")
    p99=$(sed -n 's/^ *99% *\([0-9.a-z]*\).*/\1/p' "$WORK/wrk")
    errs=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$WORK/wrk")
    printf '%-22.22s %6s %10s %9s %9s %s\n' "$route" "$c" "$rps" "$p50" "$p99" \
      "${errs:+($errs non-2xx)}"
  done
done
