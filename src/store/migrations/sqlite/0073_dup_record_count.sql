-- 0073 (SQLite): nothing. On PostgreSQL the duplicate index keeps its count of filed records in
-- dup_state, where counting dup_records visited every row of a table that is rarely all-visible;
-- SQLite counts the records from the primary key's B-tree alone.
SELECT 1;
