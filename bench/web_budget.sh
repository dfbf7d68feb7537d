#!/bin/sh
# The web page's budgets (docs/web.md): JavaScript gzipped (first screen <= 200 KB, whole
# app <= 400 KB), first paint <= 1 s and the quick-log usable <= 2.5 s on an emulated slow
# 4G phone (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, 4x CPU; cold cache), and Ctrl+Enter
# to confirmed (p95 <= 300 ms) on a demo hub of ACCOUNTS accounts and INTERACTIONS
# interactions. Debian's Chromium, Playwright from web/node_modules (npm ci in web/ first).
# Exits 1 when a budget is exceeded.
# Usage: [ACCOUNTS=2000] [INTERACTIONS=20000] [RUNS=5] [SAVES=30] bench/web_budget.sh BUILD_DIR
set -eu
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACCOUNTS=${ACCOUNTS:-2000}
INTERACTIONS=${INTERACTIONS:-20000}
command -v node >/dev/null || { echo "node is not installed (bash scripts/deps.sh test)"; exit 1; }
[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium is not installed (bash scripts/deps.sh test)"; exit 1; }
[ -d "$ROOT/web/node_modules/playwright-core" ] || (cd "$ROOT/web" && npm ci --no-audit --no-fund)
WORK=$(mktemp -d /tmp/cxhub-web-bench.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
export CXHUB_DB="sqlite:$WORK/hub.db"
"$BUILD/cxhub" demo --accounts "$ACCOUNTS" --interactions "$INTERACTIONS" --seed 7 >/dev/null 2>&1
printf '%s\n' 'bench password 1' | "$BUILD/cxhub" user reset-password adaeze.m --password-stdin >/dev/null
"$BUILD/cxhub" serve --listen 127.0.0.1:0 2> "$WORK/log" &
PID=$!
i=0
while ! grep -q listening "$WORK/log" 2>/dev/null; do
  i=$((i + 1)); [ "$i" -gt 100 ] && { echo "the server did not start"; cat "$WORK/log"; exit 1; }
  sleep 0.1
done
URL=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$WORK/log" | head -1)
echo "hub: $ACCOUNTS accounts, $INTERACTIONS interactions; server $URL"
cd "$ROOT/web"
BASE=$URL LOGIN=adaeze.m PASSWORD='bench password 1' node e2e/budget.mjs
