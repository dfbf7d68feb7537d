-- 0060 (SQLite): nothing to do. On PostgreSQL this version stores the KPI aggregate's active
-- days as integer arrays the server can search (docs/postgresql.md, "KPI facts"); SQLite reads
-- the rows in the hub's own process, where decoding the varint bytes costs no round trip.
SELECT 1;
