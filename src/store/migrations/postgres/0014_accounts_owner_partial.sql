-- 0014 (PostgreSQL): nothing to do. SQLite's 0014 made the index of accounts by owner partial
-- (owner <> ''); 0001 makes it so.
SELECT 1;
