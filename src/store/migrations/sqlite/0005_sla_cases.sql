-- 0005: one covering index for the SLA clocks of cases (kind, then time), so that computing a
-- million clocks reads the index alone; it also serves every query the two (kind, opened)
-- indexes it replaces served.
CREATE INDEX cases_sla ON cases(kind, opened, division, id, owner, resolution_confirmed);
DROP INDEX cases_kind_opened;
DROP INDEX kpi_cases_kind_opened;
