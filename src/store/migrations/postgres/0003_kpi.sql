-- 0003 (PostgreSQL): the indexes that let the KPI engine and the weekly review read only the
-- rows of a period (covering, with INCLUDE, so most reads are index-only scans), and the
-- targets a manager stores (docs/kpi.md, docs/postgresql.md "KPI facts").
--
-- Stage names match without regard to case, folding ASCII letters only (as SQLite's NOCASE and
-- lower() do): PostgreSQL's lower() would follow the database's locale.
CREATE FUNCTION kpi_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $$;

CREATE INDEX kpi_orders_division_date ON orders(division, date) INCLUDE (amount, erp_customer_id);
CREATE INDEX kpi_interactions_at ON interactions(at) INCLUDE (contact_id, division, logged_by);
CREATE INDEX kpi_interactions_case ON interactions(case_id, at) WHERE case_id IS NOT NULL;
CREATE INDEX kpi_stage_history_opp ON stage_history(opportunity_id, kpi_fold(stage), entered);
CREATE INDEX kpi_interactions_opp ON interactions(opportunity_id, at) INCLUDE (logged_by)
  WHERE opportunity_id IS NOT NULL;
CREATE INDEX kpi_cases_kind_closed ON cases(kind, closed) WHERE closed IS NOT NULL;
CREATE INDEX kpi_cases_kind_confirmed ON cases(kind, resolution_confirmed)
  WHERE resolution_confirmed IS NOT NULL;
CREATE INDEX kpi_feedback_kind_date ON feedback(kind, date);
-- The review reads field changes by time only (rows of created records and actions have no field).
CREATE INDEX kpi_audit_at ON audit(at) WHERE field <> '';

-- Targets a manager set through the hub; they win over config/kpi_targets.toml.
CREATE TABLE kpi_targets (
  key text COLLATE "C" NOT NULL,
  division text COLLATE "C" NOT NULL DEFAULT '',
  value double precision NOT NULL,
  direction text COLLATE "C" NOT NULL,
  set_by text COLLATE "C" NOT NULL,
  set_at bigint NOT NULL,
  PRIMARY KEY (key, division)
);
