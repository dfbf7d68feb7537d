-- 0017 (PostgreSQL): nothing to do. SQLite's 0017 made the audit index by time hold field
-- changes only; 0003 makes it so on PostgreSQL.
SELECT 1;
