-- 0060 (PostgreSQL): each subject's active days as a sorted int4[] instead of the varint bytes
-- SQLite keeps, so that the server itself tells which subjects were active in a period: the
-- drill-down ids of a KPI (the first active subjects in id order) are then read as exactly those
-- rows, where every row of the series came to the client to be decoded there — a walk of the
-- whole series for a week's few active customers, one round trip per 2,000 rows
-- (docs/postgresql.md, "KPI facts"). A subject has a day in [L, R] when
-- width_bucket(R, days) > width_bucket(L - 1, days): two binary searches in the sorted array.
-- The aggregate is derived: its rows go, and the next refresh rebuilds them.
DELETE FROM kpi_activity;
DELETE FROM kpi_activity_firsts;
ALTER TABLE kpi_activity DROP COLUMN days;
ALTER TABLE kpi_activity ADD COLUMN days int4[] NOT NULL;
UPDATE kpi_activity_state SET stale = 1;
