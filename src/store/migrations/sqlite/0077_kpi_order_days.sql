-- 0077 (SQLite): nothing. On PostgreSQL the orders' count and exact sum per division and day
-- are kept beside the orders (kpi_order_days), where summing a quarter's orders converted each
-- amount to numeric; SQLite adds the doubles of its covering index in process.
SELECT 1;
