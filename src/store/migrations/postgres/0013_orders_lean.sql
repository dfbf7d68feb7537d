-- 0013 (PostgreSQL): nothing to do. SQLite's 0013 dropped the orders index by date alone; 0003
-- never makes it on PostgreSQL.
SELECT 1;
