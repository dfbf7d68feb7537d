#!/usr/bin/env bash
# Workbook import/export benchmark next to its floors and LibreOffice (docs/workbook.md).
# usage: bench/workbook.sh [SCALE]   SCALE 1 = 1,048,575 interactions (a full sheet: 1,048,576 rows
# with the header), 100,000 contacts, 50,000 accounts; SCALE 8 = an eighth of that, etc.
# Needs: a build with -DCXHUB_BENCH=ON in build-bench/, sqlite3, /usr/bin/time; soffice optional.
set -euo pipefail
scale=${1:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
out=${BENCH_OUT:-$root/bench/out/workbook}
bin="$build/workbook_bench"
[ -x "$bin" ] || { cmake -S "$root" -B "$build" -DCXHUB_BENCH=ON -DCXHUB_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null; make -C "$build" -j2 workbook_bench >/dev/null; }
rm -rf "$out"; mkdir -p "$out"
acc=$((50000 / scale)); con=$((100000 / scale)); int=$((1048575 / scale))
t() { /usr/bin/time -f "%e s wall %U+%S s cpu  peak RSS %M KiB" "$@"; }

echo "== scale 1/$scale: $acc accounts, $con contacts, $int interactions"
"$bin" gen "$out/hub.xlsx" "$acc" "$con" "$int"          # = the export floor (libxlsxwriter alone)
ls -l "$out/hub.xlsx" | awk '{print "workbook size", $5, "bytes"}'
"$bin" readfloor "$out/hub.xlsx"                          # reading floor: unzip + bare expat
mkdir -p "$out/csv"; "$bin" csv "$out/hub.xlsx" "$out/csv"
cat > "$out/floor.sql" <<SQL
CREATE TABLE accounts ("Account ID","Company Name","Industry","ERP Customer ID","Account Owner","Divisions","Type","Address","City","Phone","Email","Status");
CREATE TABLE contacts ("Contact ID","Full Name","Job Title","Associated Account ID","Email","Phone");
CREATE TABLE interactions ("Interaction ID","Date","Contact ID","Channel","Notes","Next Action","Logged By","Next Action Due","Next Action Owner","Next Action Done","Division","Type","Opportunity ID","Case ID","Checklist");
.import --csv --skip 1 $out/csv/Accounts.csv accounts
.import --csv --skip 1 $out/csv/Contacts.csv contacts
.import --csv --skip 1 $out/csv/Interactions.csv interactions
SQL
echo -n "sqlite3 .import floor: "; t sqlite3 "$out/floor.db" < "$out/floor.sql" 2>&1 | tail -1
"$bin" import "$out/hub.xlsx" "$out/hub.db"
"$bin" export "$out/hub.db" "$out/export.xlsx"
if command -v soffice >/dev/null && [ "${SKIP_LIBREOFFICE:-0}" != 1 ]; then
  mkdir -p "$out/lo"
  echo -n "LibreOffice xlsx -> csv (all sheets): "
  HOME="$out/lohome" t soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$out/lo" "$out/hub.xlsx" 2>&1 | tail -1
fi
