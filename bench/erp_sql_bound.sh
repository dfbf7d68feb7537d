#!/bin/sh
# The plain-SQL bound of a first customers sync: what SQLite alone takes to write what a
# first sync of CUSTOMERS_CSV into an empty hub stores (the account rows with their match
# keys, one audit row per account, the name index, the account indexes built at the end,
# one commit with a rollback journal), with every value worked out beforehand and nothing
# read, parsed, checked or bound from outside. No program that stores those rows in this
# schema can be faster; the sync's own time is best read against this as well as against
# `sqlite3 .import`, which writes one table with no index.
# Usage: bench/erp_sql_bound.sh CXHUB CUSTOMERS_CSV WORK_DIR
set -eu
CXHUB=$1
CSV=$2
WORK=$3

rm -f "$WORK/bound.db" "$WORK/bound-src.db"
CXHUB_DB="sqlite:$WORK/bound.db" "$CXHUB" init > /dev/null
# Untimed: the export as a table, and the words of each name (lower case, split on spaces,
# without the legal suffix) under the ids the sync gives, as the name index's blocks (up to
# 64 ids of one word, in id order) in the index's order.
sqlite3 "$WORK/bound-src.db" <<EOF
.import --csv $CSV customers
CREATE TABLE words AS
WITH RECURSIVE split(n, rest, word) AS (
  SELECT rowid, lower("Customer Name") || ' ', NULL FROM customers
  UNION ALL
  SELECT n, substr(rest, instr(rest, ' ') + 1), substr(rest, 1, instr(rest, ' ') - 1)
  FROM split WHERE rest <> '')
SELECT DISTINCT word, 'A-' || printf('%06d', n) AS id FROM split
WHERE word NOT IN ('', 'ltd', 'limited', 'plc', 'nig', 'inc', 'co', 'llc');
CREATE TABLE blocks AS
SELECT word, min(id) AS first, count(*) AS records, max(ids) AS ids FROM (
  SELECT word, id, blk, group_concat(id, char(31)) OVER (PARTITION BY word, blk ORDER BY id
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS ids
  FROM (SELECT word, id, (row_number() OVER (PARTITION BY word ORDER BY id) - 1) / 64 AS blk
        FROM words))
GROUP BY word, blk ORDER BY word, first;
EOF
# Timed: the writes, in one transaction.
/usr/bin/time -f "%e %M" -o "$WORK/bound.time" sqlite3 "$WORK/bound.db" > /dev/null <<EOF
ATTACH '$WORK/bound-src.db' AS src;
PRAGMA journal_mode = DELETE;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -262144;
BEGIN;
DROP INDEX accounts_name_key; DROP INDEX accounts_phone_key; DROP INDEX accounts_email_key;
DROP TRIGGER kpi_activity_account_insert; DROP TRIGGER dup_account_insert;
INSERT INTO accounts (id, name, name_key, industry, erp_customer_id, owner, divisions, type,
  address, city, phone, phone_key, email, email_key, status, custom, merged_into, created_at,
  updated_at)
SELECT 'A-' || printf('%06d', rowid), "Customer Name", lower("Customer Name"), Industry,
  "ERP Customer ID", '', Division, 'customer', Address, City, Phone, Phone, Email, Email, Status,
  '{}', NULL, 1795437935, 1795437935 FROM src.customers;
INSERT INTO audit (at, actor, action, entity, entity_id, field, before, after, reason)
SELECT 1795437935, 'cli', 'create', 'account', 'A-' || printf('%06d', rowid), '', '', '',
  'erp-sync customers customers.csv' FROM src.customers;
INSERT INTO name_postings SELECT 0, word, first, records, ids FROM src.blocks ORDER BY rowid;
PRAGMA temp_store = FILE;
PRAGMA threads = 2;
CREATE INDEX accounts_name_key ON accounts(name_key);
CREATE INDEX accounts_phone_key ON accounts(phone_key) WHERE phone_key <> '';
CREATE INDEX accounts_email_key ON accounts(email_key) WHERE email_key <> '';
COMMIT;
EOF
set -- $(tail -1 "$WORK/bound.time")
printf '%-34s %8.2f s   peak RSS %6d MiB\n' "plain-SQL bound, customers" "$1" $(( $2 / 1024 ))
rm -f "$WORK/bound.db" "$WORK/bound-src.db"
