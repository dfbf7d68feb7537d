-- 0003: indexes that let the KPI engine and the weekly review read only the rows of a period
-- (docs/kpi.md). Covering indexes: the queries never touch the table rows.
CREATE INDEX IF NOT EXISTS kpi_orders_division_date ON orders(division, date, amount, erp_customer_id);
CREATE INDEX IF NOT EXISTS kpi_orders_date ON orders(date, erp_customer_id, division);
CREATE INDEX IF NOT EXISTS kpi_interactions_at ON interactions(at, contact_id, division, logged_by);
CREATE INDEX IF NOT EXISTS kpi_interactions_case ON interactions(case_id, at) WHERE case_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS kpi_stage_history_stage ON stage_history(stage COLLATE NOCASE, entered, opportunity_id);
CREATE INDEX IF NOT EXISTS kpi_stage_history_opp ON stage_history(opportunity_id, stage COLLATE NOCASE, entered);
CREATE INDEX IF NOT EXISTS kpi_interactions_opp ON interactions(opportunity_id, at, logged_by) WHERE opportunity_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS kpi_contacts_account ON contacts(id, account_id);
CREATE INDEX IF NOT EXISTS kpi_cases_kind_closed ON cases(kind, closed) WHERE closed IS NOT NULL;
CREATE INDEX IF NOT EXISTS kpi_cases_kind_confirmed ON cases(kind, resolution_confirmed) WHERE resolution_confirmed IS NOT NULL;
CREATE INDEX IF NOT EXISTS kpi_cases_kind_opened ON cases(kind, opened);
CREATE INDEX IF NOT EXISTS kpi_feedback_kind_date ON feedback(kind, date);
CREATE INDEX IF NOT EXISTS kpi_audit_at ON audit(at);
-- Targets a manager set through the hub; they win over config/kpi_targets.toml.
CREATE TABLE IF NOT EXISTS kpi_targets (
  key TEXT NOT NULL,
  division TEXT NOT NULL DEFAULT '',
  value REAL NOT NULL,
  direction TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at INTEGER NOT NULL,
  PRIMARY KEY (key, division)
);
