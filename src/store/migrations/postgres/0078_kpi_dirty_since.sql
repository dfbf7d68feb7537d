-- 0078 (PostgreSQL): whether the KPI aggregates are up to date, read without passing over the
-- change lists' dead rows (docs/postgresql.md, "KPI facts"). A refresh empties a change list
-- with DELETE (not TRUNCATE: readers in other sessions keep their snapshot), and until
-- autovacuum came every readiness check (`NOT EXISTS (SELECT 1 FROM kpi_activity_dirty)`) read
-- every page the deleted rows had filled: 13-24 ms a check after a `move-store`, some 10 ms in
-- a steady state, 33 checks a scorecard with its trend.
--
-- Each appended row now carries the id of the transaction that wrote it (`tx`, indexed), and
-- the state rows carry `clean_from`: the oldest transaction still running when the last
-- refresh took its rows (the xmin of its snapshot). A row the refresh did not take was
-- invisible to it, so its transaction was running then or began later: its id is at least
-- `clean_from`. The aggregate is up to date when no row has `tx >= clean_from`, one look-up at
-- the end of the index, whatever the dead rows before it. The triggers still only append:
-- writers never wait on each other or on a refresh.
ALTER TABLE kpi_activity_dirty ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE kpi_customer_dirty ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE kpi_funnel_dirty ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX kpi_activity_dirty_tx ON kpi_activity_dirty(tx);
CREATE INDEX kpi_customer_dirty_tx ON kpi_customer_dirty(tx);
CREATE INDEX kpi_funnel_dirty_tx ON kpi_funnel_dirty(tx);
-- '0': every row counts until the first refresh after this migration (the old rule).
ALTER TABLE kpi_activity_state ADD COLUMN clean_from xid8 NOT NULL DEFAULT '0';
ALTER TABLE kpi_funnel_state ADD COLUMN clean_from xid8 NOT NULL DEFAULT '0';
