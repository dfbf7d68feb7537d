-- 0006: fewer indexes to maintain on every interaction and order written (a workbook import
-- writes a million interactions, an ERP sync millions of orders). Four indexes are prefixes
-- of wider ones that serve the same queries:
--   orders_division_date      (division, date)         ⊂ kpi_orders_division_date (division, date, …)
--   interactions_at           (at)                     ⊂ kpi_interactions_at  (at, contact_id, …)
--   interactions_opportunity  (opportunity_id, at)     ⊂ kpi_interactions_opp (opportunity_id, at, logged_by)
--   interactions_case         (case_id)                ⊂ kpi_interactions_case (case_id, at)
-- and the SLA index only ever serves interactions that carry an opportunity.
DROP INDEX interactions_at;
DROP INDEX interactions_opportunity;
DROP INDEX interactions_case;
DROP INDEX interactions_opportunity_logger;
CREATE INDEX interactions_opportunity_logger ON interactions(opportunity_id, logged_by, at)
  WHERE opportunity_id IS NOT NULL;
DROP INDEX orders_division_date;
