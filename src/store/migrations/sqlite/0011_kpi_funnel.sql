-- 0011: one row per opportunity with what the funnel KPIs and the lead response time read
-- (docs/kpi.md): its own division, outcome, Created and Closed, the first entry of each funnel
-- stage (from kpi_stage_first, 0009) and its first response by its owner. Each KPI then reads one
-- range of one covering index instead of joining every row of its period to opportunities,
-- kpi_stage_first and interactions (random reads all over the file). docs/kpi.md explains it.
--
-- first_response: the earliest interaction carrying the opportunity's id logged by its owner
-- (same text without case and outer spaces, or both naming the same user by login or name);
-- "the first response before a bound" is this one when it is before the bound.
CREATE TABLE kpi_funnel (
  id TEXT PRIMARY KEY,
  division TEXT NOT NULL,
  owner TEXT NOT NULL,
  outcome TEXT NOT NULL,
  created INTEGER NOT NULL,
  closed INTEGER,
  qualified INTEGER,
  quote INTEGER,
  proposal INTEGER,
  won INTEGER,
  signed INTEGER,
  first_response INTEGER
) WITHOUT ROWID;
-- One covering index per time a KPI's period applies to (the key id comes with each entry).
CREATE INDEX kpi_funnel_qualified ON kpi_funnel(division, qualified, quote)
  WHERE qualified IS NOT NULL;
CREATE INDEX kpi_funnel_quote ON kpi_funnel(division, quote, outcome, closed, won)
  WHERE quote IS NOT NULL;
CREATE INDEX kpi_funnel_signed ON kpi_funnel(division, signed) WHERE signed IS NOT NULL;
CREATE INDEX kpi_funnel_closed ON kpi_funnel(division, closed, outcome, qualified, proposal)
  WHERE closed IS NOT NULL;
CREATE INDEX kpi_funnel_created ON kpi_funnel(division, created, first_response);
-- Opportunities whose row must be recomputed, appended by the triggers below (repeats allowed,
-- as for kpi_activity_dirty).
CREATE TABLE kpi_funnel_dirty (opportunity_id TEXT);
-- stale: 1 when every row must be rebuilt (never built, a user renamed, a bulk load of
-- interactions that dropped the triggers below).
CREATE TABLE kpi_funnel_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  stale INTEGER NOT NULL
);
INSERT INTO kpi_funnel_state(id, stale) VALUES (1, 1);

CREATE TRIGGER kpi_funnel_opportunity_insert AFTER INSERT ON opportunities BEGIN
  INSERT INTO kpi_funnel_dirty VALUES (NEW.id);
END;
CREATE TRIGGER kpi_funnel_opportunity_update
AFTER UPDATE OF id, division, owner, outcome, created, closed ON opportunities BEGIN
  INSERT INTO kpi_funnel_dirty SELECT value FROM (SELECT OLD.id AS value UNION SELECT NEW.id);
END;
CREATE TRIGGER kpi_funnel_opportunity_delete AFTER DELETE ON opportunities BEGIN
  INSERT INTO kpi_funnel_dirty VALUES (OLD.id);
END;
CREATE TRIGGER kpi_funnel_stage_insert AFTER INSERT ON stage_history BEGIN
  INSERT INTO kpi_funnel_dirty VALUES (NEW.opportunity_id);
END;
CREATE TRIGGER kpi_funnel_stage_update AFTER UPDATE OF opportunity_id, stage, entered
ON stage_history BEGIN
  INSERT INTO kpi_funnel_dirty
    SELECT value FROM (SELECT OLD.opportunity_id AS value UNION SELECT NEW.opportunity_id);
END;
CREATE TRIGGER kpi_funnel_stage_delete AFTER DELETE ON stage_history BEGIN
  INSERT INTO kpi_funnel_dirty VALUES (OLD.opportunity_id);
END;
CREATE TRIGGER kpi_funnel_interaction_insert AFTER INSERT ON interactions
WHEN NEW.opportunity_id IS NOT NULL BEGIN
  INSERT INTO kpi_funnel_dirty VALUES (NEW.opportunity_id);
END;
CREATE TRIGGER kpi_funnel_interaction_update AFTER UPDATE OF opportunity_id, at, logged_by
ON interactions BEGIN
  INSERT INTO kpi_funnel_dirty
    SELECT value FROM (SELECT OLD.opportunity_id AS value UNION SELECT NEW.opportunity_id)
    WHERE value IS NOT NULL;
END;
CREATE TRIGGER kpi_funnel_interaction_delete AFTER DELETE ON interactions
WHEN OLD.opportunity_id IS NOT NULL BEGIN
  INSERT INTO kpi_funnel_dirty VALUES (OLD.opportunity_id);
END;
-- Who is who (a user's login and name name the same person) changes which interaction is an
-- owner's response for any number of opportunities: rebuild.
CREATE TRIGGER kpi_funnel_user_insert AFTER INSERT ON users BEGIN
  UPDATE kpi_funnel_state SET stale = 1;
END;
CREATE TRIGGER kpi_funnel_user_update AFTER UPDATE OF login, name ON users
WHEN OLD.login IS NOT NEW.login OR OLD.name IS NOT NEW.name BEGIN
  UPDATE kpi_funnel_state SET stale = 1;
END;
CREATE TRIGGER kpi_funnel_user_delete AFTER DELETE ON users BEGIN
  UPDATE kpi_funnel_state SET stale = 1;
END;
