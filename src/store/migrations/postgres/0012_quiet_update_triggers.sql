-- 0012 (PostgreSQL): nothing to do. On SQLite this version made the KPI aggregates' update
-- triggers fire only when a column they read really changes. The PostgreSQL triggers (0008,
-- 0011) were written that way from the start: an UPDATE marks only the rows whose read columns
-- differ between the old and the new transition tables.
SELECT 1;
