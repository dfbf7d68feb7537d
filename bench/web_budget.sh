#!/bin/sh
# The web page's budgets (docs/web.md), against a real `cxhub serve` on a demo hub of ACCOUNTS
# accounts and INTERACTIONS interactions (default: 50,000 and 1,000,000):
# - web/e2e/budget.mjs (Playwright): JavaScript gzipped (first screen <= 200 KB, whole app
#   <= 400 KB), first paint <= 1 s and the quick-log usable <= 2.5 s on an emulated slow 4G
#   phone (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, 4x CPU; cold cache), and Ctrl+Enter to
#   confirmed, p95 <= 300 ms;
# - bench/lighthouse/run.mjs (Lighthouse 12, pinned in bench/lighthouse/package-lock.json):
#   mobile performance >= 90 and accessibility >= 95 on Accounts, Pipeline and My queue.
# Debian's Chromium (/usr/bin/chromium) for both; nothing downloads a browser. Exits 1 when a
# budget is exceeded. HUB=FILE starts from a copy of a demo hub made before (same sizes).
# Usage: [ACCOUNTS=50000] [INTERACTIONS=1000000] [RUNS=5] [SAVES=30] [LH_RUNS=3] [HUB=FILE]
#        bench/web_budget.sh BUILD_DIR
set -eu
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACCOUNTS=${ACCOUNTS:-50000}
INTERACTIONS=${INTERACTIONS:-1000000}
command -v node >/dev/null || { echo "node is not installed (bash scripts/deps.sh test)"; exit 1; }
[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium is not installed (bash scripts/deps.sh test)"; exit 1; }
WORK=$(mktemp -d /tmp/cxhub-web-bench.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT

# npm ci in $1 unless installed. Behind a proxy that re-signs HTTPS with an authority this
# machine lacks, again with strict-ssl off, once every package of the lockfile is known to
# carry its sha512 (npm ci refuses a tarball that does not match it): as tests/cli_web_test.py.
npm_ci() {
  [ -d "$1/node_modules/$2" ] && return 0
  if (cd "$1" && npm ci --no-audit --no-fund) >"$WORK/npm.log" 2>&1; then return 0; fi
  if ! grep -Eq 'SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|self[- ]signed certificate' "$WORK/npm.log"; then
    cat "$WORK/npm.log"; exit 1
  fi
  node -e 'const l=require(process.argv[1]);const u=Object.entries(l.packages).filter(([k,v])=>k&&!v.link&&!v.integrity).map(([k])=>k);if(u.length){console.error("without integrity:",u.join(" "));process.exit(1)}' "$1/package-lock.json"
  echo "note: the npm registry's certificate is re-signed by an unknown authority on this network; installing again with strict-ssl off, every package checked against the lockfile's sha512"
  (cd "$1" && npm ci --no-audit --no-fund --strict-ssl=false)
}
npm_ci "$ROOT/web" playwright-core
npm_ci "$ROOT/bench/lighthouse" lighthouse

export CXHUB_DB="sqlite:$WORK/hub.db"
if [ -n "${HUB:-}" ]; then
  cp "$HUB" "$WORK/hub.db"
else
  "$BUILD/cxhub" demo --accounts "$ACCOUNTS" --interactions "$INTERACTIONS" --seed 7 --quiet >/dev/null
fi
printf '%s\n' 'bench password 1' | "$BUILD/cxhub" user reset-password adaeze.m --password-stdin >/dev/null
"$BUILD/cxhub" serve --listen 127.0.0.1:0 2> "$WORK/log" &
PID=$!
i=0
while ! grep -q listening "$WORK/log" 2>/dev/null; do
  i=$((i + 1)); [ "$i" -gt 300 ] && { echo "the server did not start"; cat "$WORK/log"; exit 1; }
  sleep 0.1
done
URL=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$WORK/log" | head -1)
echo "hub: $ACCOUNTS accounts, $INTERACTIONS interactions; server $URL; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
(cd "$ROOT/web" && BASE=$URL LOGIN=adaeze.m PASSWORD='bench password 1' node e2e/budget.mjs) || rc=1
mkdir -p "$ROOT/bench/out"
(cd "$ROOT/bench/lighthouse" && CHROME_PATH=/usr/bin/chromium BASE=$URL LOGIN=adaeze.m PASSWORD='bench password 1' \
  RUNS="${LH_RUNS:-3}" OUT="$ROOT/bench/out" node run.mjs) || rc=1
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
