-- 0006 (PostgreSQL): nothing to do. SQLite's 0006 dropped four indexes that wider KPI indexes
-- cover and made the SLA index partial. 0001 never makes those four, and 0002 makes the SLA index
-- partial.
SELECT 1;
