-- 0078 (SQLite): nothing. On PostgreSQL a readiness check of the KPI aggregates passed over the
-- dead rows a refresh leaves in the change lists until autovacuum; SQLite frees a deleted row's
-- page at once, and `NOT EXISTS` over an emptied change list reads its root page only.
SELECT 1;
