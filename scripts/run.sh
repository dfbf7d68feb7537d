#!/usr/bin/env bash
# Sets up everything on a fresh Debian 12, builds cxhub, loads demo data into the
# embedded SQLite database (demo.db) and shows the hub at work.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh run
CXHUB_TESTS=OFF bash scripts/build.sh release cxhub
export CXHUB_DB=sqlite:demo.db
if [ ! -f demo.db ]; then
  ./build/cxhub init
  ./build/cxhub demo --accounts 2000 --seed 1
fi
echo "== search 'okafor engineering' =="
./build/cxhub search "okafor engineering" --limit 5
echo "== probable duplicates (first lines) =="
./build/cxhub duplicates >duplicates.txt
head -12 duplicates.txt
echo "== latest audit entries =="
./build/cxhub audit --limit 5
if grep -qE "^  serve( |$)" <<<"$(./build/cxhub --help)"; then
  # The demo administrator signs in to the web page with a known password (README).
  demo_password="cxhub demo admin"
  if ./build/cxhub user list | grep -q '^admin '; then
    printf '%s\n' "$demo_password" | ./build/cxhub user reset-password admin --password-stdin
  else
    printf '%s\n' "$demo_password" | ./build/cxhub user add admin --role admin --name "System Owner" --password-stdin
  fi
  echo "== the web page: open http://127.0.0.1:8080 and log in as admin, password '$demo_password' (Ctrl-C stops) =="
  exec ./build/cxhub serve --listen 127.0.0.1:8080
fi
echo
echo "cxhub is ready: export CXHUB_DB=sqlite:$PWD/demo.db and run ./build/cxhub --help"
