-- 0073 (PostgreSQL): the duplicate index's count of filed records, kept beside its state by
-- the statements that file and unfile records (pg_tx_duplicate.cc), so that bringing the index
-- up to date no longer counts dup_records: after a few weeks of re-filed records most of its
-- pages are not all-visible until autovacuum, and each count visited every row (70-120 ms a
-- kind at the benchmark's scale 0.2, four counts a weekly pack).
ALTER TABLE dup_state ADD COLUMN records bigint NOT NULL DEFAULT 0;
UPDATE dup_state s SET records = (SELECT count(*) FROM dup_records r WHERE r.kind = s.kind);
