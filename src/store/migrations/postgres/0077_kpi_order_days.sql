-- 0077 (PostgreSQL): the orders' count and exact sum of amounts per division and UTC day
-- (floor(date / 86400)), so that a KPI's orders of a period (KpiOrders) read one row per day
-- instead of every order: the whole days of the period from here, the part-days at its ends
-- from the orders (docs/postgresql.md, "KPI facts").
--
-- Kept by statement-level triggers that only append: each statement adds one row per division
-- and day it changed, with its change (`fresh`); nothing here has a key, so two servers writing
-- orders of one day never wait on each other. A KPI refresh (PgTx::RefreshKpiActivity) folds the
-- fresh rows of a day into one; a read sums whatever rows a day has, so it is exact either way.
-- The triggers' names do not start with kpi_: a bulk load (ExpectBulkLoad) leaves them on, as
-- they join nothing and cost one grouping of the statement's rows.
CREATE TABLE kpi_order_days (
  division text COLLATE "C" NOT NULL,
  day bigint NOT NULL,
  orders bigint NOT NULL,
  amount numeric NOT NULL,
  fresh boolean NOT NULL DEFAULT true
);
CREATE INDEX kpi_order_days_day ON kpi_order_days(division, day) INCLUDE (orders, amount);
CREATE INDEX kpi_order_days_fresh ON kpi_order_days(division, day) WHERE fresh;

INSERT INTO kpi_order_days (division, day, orders, amount, fresh)
  SELECT division, floor(date / 86400.0)::bigint, count(*), sum(amount::numeric), false
  FROM orders GROUP BY 1, 2;

CREATE FUNCTION order_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kpi_order_days (division, day, orders, amount)
      SELECT division, floor(date / 86400.0)::bigint, count(*), sum(amount::numeric)
      FROM new_rows GROUP BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO kpi_order_days (division, day, orders, amount)
      SELECT division, floor(date / 86400.0)::bigint, -count(*), -sum(amount::numeric)
      FROM old_rows GROUP BY 1, 2;
  ELSE
    -- Only what changes a day's count or sum: a save that rewrites an order unchanged adds
    -- nothing.
    INSERT INTO kpi_order_days (division, day, orders, amount)
      SELECT division, day, sum(n), sum(a) FROM (
        SELECT division, floor(date / 86400.0)::bigint AS day, 1 AS n, amount::numeric AS a
          FROM new_rows
        UNION ALL
        SELECT division, floor(date / 86400.0)::bigint, -1, -amount::numeric FROM old_rows) x
      GROUP BY 1, 2 HAVING sum(n) <> 0 OR sum(a) <> 0;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER order_days_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION order_days_changed();
CREATE TRIGGER order_days_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION order_days_changed();
CREATE TRIGGER order_days_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION order_days_changed();
