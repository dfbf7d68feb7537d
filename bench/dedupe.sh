#!/usr/bin/env bash
# Duplicates and search-first benchmark (docs/search.md): ACCOUNTS accounts and as many contacts from `demo`, then
# `duplicates` over all of them (seconds, peak RSS, recall and precision against the
# planted duplicates) and the search-first lookup latency.
# usage: bench/dedupe.sh [ACCOUNTS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
out=bench/out
mkdir -p "$out"
db="$out/dedupe-$n.db"
b=${BENCH_BUILD_DIR:-build}
cmake -S . -B "$b" -DCXHUB_BENCH=ON >/dev/null
cmake --build "$b" -j "$(nproc)" --target cxhub search_bench >/dev/null
if [ ! -f "$db" ]; then
  echo "generating $n accounts and $n contacts…"
  /usr/bin/time -f "demo: %e s, peak RSS %M KiB" "$b/cxhub" --db "sqlite:$db" demo --accounts "$n" \
    --contacts "$n" --interactions 0 --seed 11 --as-of 2026-10-31 --quiet
fi
/usr/bin/time -f "duplicates: %e s, peak RSS %M KiB" "$b/cxhub" --db "sqlite:$db" duplicates --json \
  >"$out/duplicates-$n.json"
python3 - "$db" "$out/duplicates-$n.json" <<'PY'
import itertools, json, sqlite3, sys
db, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
con = sqlite3.connect(db)
for kind, table in (("accounts", "accounts"), ("contacts", "contacts")):
    planted = {r[0]: r[1] for r in con.execute(
        f"SELECT id, json_extract(custom, '$.demo_duplicate_of') FROM {table} WHERE json_extract(custom, '$.demo_duplicate_of') IS NOT NULL")}
    pairs = set()
    for c in d[kind]:
        pairs.update(itertools.combinations(sorted(c["ids"]), 2))
    truth = {tuple(sorted((dup, orig))) for dup, orig in planted.items()}
    hit = len(truth & pairs)
    recall = hit / len(truth) if truth else 1.0
    # Precision over pairs: a found pair is right when it is a planted pair.
    precision = len(pairs & truth) / len(pairs) if pairs else 1.0
    print(f"{kind}: {len(d[kind])} clusters, planted pairs {len(truth)}, found {hit}: "
          f"recall {recall:.4f}, pair precision {precision:.4f} (other pairs: {len(pairs - truth)})")
PY
/usr/bin/time -f "search bench: %e s, peak RSS %M KiB" "$b/search_bench" "$db" 1000
