-- 0011 (PostgreSQL): one row per opportunity with what the funnel KPIs and the lead response time
-- read (docs/kpi.md): its division, outcome, Created and Closed, the first entry of each funnel
-- stage (from kpi_stage_first, 0009) and its first response by its owner, the earliest
-- interaction carrying its id logged by its owner (store/logic/funnel_rules.h). Each KPI reads
-- one range of one covering index.
CREATE TABLE kpi_funnel (
  id text COLLATE "C" PRIMARY KEY,
  division text COLLATE "C" NOT NULL,
  owner text COLLATE "C" NOT NULL,
  outcome text COLLATE "C" NOT NULL,
  created bigint NOT NULL,
  closed bigint,
  qualified bigint,
  quote bigint,
  proposal bigint,
  won bigint,
  signed bigint,
  first_response bigint
);
-- One covering index per time a KPI's period applies to.
CREATE INDEX kpi_funnel_qualified ON kpi_funnel(division, qualified) INCLUDE (id, quote)
  WHERE qualified IS NOT NULL;
CREATE INDEX kpi_funnel_quote ON kpi_funnel(division, quote) INCLUDE (id, outcome, closed, won)
  WHERE quote IS NOT NULL;
CREATE INDEX kpi_funnel_signed ON kpi_funnel(division, signed) INCLUDE (id)
  WHERE signed IS NOT NULL;
CREATE INDEX kpi_funnel_closed ON kpi_funnel(division, closed, id)
  INCLUDE (outcome, qualified, proposal) WHERE closed IS NOT NULL;
CREATE INDEX kpi_funnel_created ON kpi_funnel(division, created, id) INCLUDE (first_response);
-- Opportunities whose row must be recomputed, appended by the triggers below (no key, as
-- kpi_activity_dirty: writers never wait on each other; the refresh takes rows with DELETE …
-- RETURNING).
CREATE TABLE kpi_funnel_dirty (opportunity_id text COLLATE "C");
-- stale: every row must be rebuilt (never built, a user added, renamed or removed). The refresh
-- locks this row, so refreshes run one at a time.
CREATE TABLE kpi_funnel_state (
  id integer PRIMARY KEY CHECK (id = 1),
  stale integer NOT NULL
);
INSERT INTO kpi_funnel_state(id, stale) VALUES (1, 1);

-- Statement-level triggers with transition tables; an UPDATE marks only the opportunities whose
-- columns the aggregate reads changed (rows of one transition table not in the other).
CREATE FUNCTION kpi_funnel_opportunities_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kpi_funnel_dirty SELECT id FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO kpi_funnel_dirty SELECT id FROM old_rows;
  ELSE
    INSERT INTO kpi_funnel_dirty
      SELECT DISTINCT x.id FROM (
        (SELECT id, division, owner, outcome, created, closed FROM new_rows
         EXCEPT SELECT id, division, owner, outcome, created, closed FROM old_rows)
        UNION
        (SELECT id, division, owner, outcome, created, closed FROM old_rows
         EXCEPT SELECT id, division, owner, outcome, created, closed FROM new_rows)) x;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_funnel_opportunity_insert AFTER INSERT ON opportunities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_funnel_opportunities_changed();
CREATE TRIGGER kpi_funnel_opportunity_delete AFTER DELETE ON opportunities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_funnel_opportunities_changed();
CREATE TRIGGER kpi_funnel_opportunity_update AFTER UPDATE ON opportunities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_funnel_opportunities_changed();

CREATE FUNCTION kpi_funnel_stages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kpi_funnel_dirty SELECT DISTINCT opportunity_id FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO kpi_funnel_dirty SELECT DISTINCT opportunity_id FROM old_rows;
  ELSE
    INSERT INTO kpi_funnel_dirty
      SELECT DISTINCT x.opportunity_id FROM (
        (SELECT opportunity_id, stage, entered FROM new_rows
         EXCEPT SELECT opportunity_id, stage, entered FROM old_rows)
        UNION
        (SELECT opportunity_id, stage, entered FROM old_rows
         EXCEPT SELECT opportunity_id, stage, entered FROM new_rows)) x;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_funnel_stage_insert AFTER INSERT ON stage_history
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_funnel_stages_changed();
CREATE TRIGGER kpi_funnel_stage_delete AFTER DELETE ON stage_history
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_funnel_stages_changed();
CREATE TRIGGER kpi_funnel_stage_update AFTER UPDATE ON stage_history
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_funnel_stages_changed();

CREATE FUNCTION kpi_funnel_interactions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kpi_funnel_dirty
      SELECT DISTINCT opportunity_id FROM new_rows WHERE opportunity_id IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO kpi_funnel_dirty
      SELECT DISTINCT opportunity_id FROM old_rows WHERE opportunity_id IS NOT NULL;
  ELSE
    INSERT INTO kpi_funnel_dirty
      SELECT DISTINCT x.opportunity_id FROM (
        (SELECT opportunity_id, at, logged_by FROM new_rows
         EXCEPT SELECT opportunity_id, at, logged_by FROM old_rows)
        UNION
        (SELECT opportunity_id, at, logged_by FROM old_rows
         EXCEPT SELECT opportunity_id, at, logged_by FROM new_rows)) x
      WHERE x.opportunity_id IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_funnel_interaction_insert AFTER INSERT ON interactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_funnel_interactions_changed();
CREATE TRIGGER kpi_funnel_interaction_delete AFTER DELETE ON interactions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_funnel_interactions_changed();
CREATE TRIGGER kpi_funnel_interaction_update AFTER UPDATE ON interactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_funnel_interactions_changed();

-- Who is who (a user's login and name name the same person) changes which interaction is an
-- owner's response for any number of opportunities: rebuild. Row-level, as few users change.
CREATE FUNCTION kpi_funnel_people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE kpi_funnel_state SET stale = 1 WHERE stale = 0;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_funnel_user_insert AFTER INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION kpi_funnel_people_changed();
CREATE TRIGGER kpi_funnel_user_update AFTER UPDATE OF login, name ON users
  FOR EACH ROW WHEN (OLD.login IS DISTINCT FROM NEW.login OR OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION kpi_funnel_people_changed();
CREATE TRIGGER kpi_funnel_user_delete AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION kpi_funnel_people_changed();
