-- 0009 (PostgreSQL): the first entry of each stage per opportunity, with the opportunity's
-- division, kept by triggers. "Entered X" is the earliest Stage History row of stage X
-- (docs/kpi.md); the funnel KPIs read a division's first entries in a period from one index
-- range. Stages are folded to lower case, ASCII letters only (kpi_fold, 0003).
CREATE TABLE kpi_stage_first (
  opportunity_id text COLLATE "C" NOT NULL,
  stage text COLLATE "C" NOT NULL,
  entered bigint NOT NULL,
  division text COLLATE "C",
  PRIMARY KEY (opportunity_id, stage)
);
CREATE INDEX kpi_stage_first_division ON kpi_stage_first(division, stage, entered)
  INCLUDE (opportunity_id);
INSERT INTO kpi_stage_first(opportunity_id, stage, entered, division)
  SELECT h.opportunity_id, kpi_fold(h.stage), min(h.entered),
         (SELECT o.division FROM opportunities o WHERE o.id = h.opportunity_id)
  FROM stage_history h GROUP BY h.opportunity_id, kpi_fold(h.stage);

-- Statement-level triggers with transition tables. New stage rows can only lower a first entry
-- (an upsert keeping the least); a deleted or changed row recomputes the (opportunity, stage)
-- pairs it touched from stage_history (kpi_stage_history_opp, 0003).
CREATE FUNCTION kpi_stage_first_recompute() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kpi_stage_first AS f (opportunity_id, stage, entered, division)
      SELECT n.opportunity_id, n.stage, n.entered,
             (SELECT o.division FROM opportunities o WHERE o.id = n.opportunity_id)
      FROM (SELECT opportunity_id, kpi_fold(stage) AS stage, min(entered) AS entered
            FROM new_rows GROUP BY 1, 2) n
      ORDER BY 1, 2
    ON CONFLICT (opportunity_id, stage)
      DO UPDATE SET entered = least(f.entered, excluded.entered);
    RETURN NULL;
  END IF;
  -- DELETE or UPDATE: the pairs of the rows involved, recomputed (idempotent).
  IF TG_OP = 'DELETE' THEN
    INSERT INTO kpi_stage_first AS f (opportunity_id, stage, entered, division)
      SELECT p.opportunity_id, p.stage, m.entered,
             (SELECT o.division FROM opportunities o WHERE o.id = p.opportunity_id)
      FROM (SELECT DISTINCT opportunity_id, kpi_fold(stage) AS stage FROM old_rows) p
      CROSS JOIN LATERAL (SELECT min(h.entered) AS entered FROM stage_history h
                          WHERE h.opportunity_id = p.opportunity_id
                            AND kpi_fold(h.stage) = p.stage) m
      WHERE m.entered IS NOT NULL
      ORDER BY 1, 2
    ON CONFLICT (opportunity_id, stage)
      DO UPDATE SET entered = excluded.entered, division = excluded.division;
    DELETE FROM kpi_stage_first f
      USING (SELECT DISTINCT opportunity_id, kpi_fold(stage) AS stage FROM old_rows) p
      WHERE f.opportunity_id = p.opportunity_id AND f.stage = p.stage
        AND NOT EXISTS (SELECT 1 FROM stage_history h WHERE h.opportunity_id = p.opportunity_id
                          AND kpi_fold(h.stage) = p.stage);
  ELSE
    INSERT INTO kpi_stage_first AS f (opportunity_id, stage, entered, division)
      SELECT p.opportunity_id, p.stage, m.entered,
             (SELECT o.division FROM opportunities o WHERE o.id = p.opportunity_id)
      FROM (SELECT opportunity_id, kpi_fold(stage) AS stage FROM old_rows
            UNION SELECT opportunity_id, kpi_fold(stage) FROM new_rows) p
      CROSS JOIN LATERAL (SELECT min(h.entered) AS entered FROM stage_history h
                          WHERE h.opportunity_id = p.opportunity_id
                            AND kpi_fold(h.stage) = p.stage) m
      WHERE m.entered IS NOT NULL
      ORDER BY 1, 2
    ON CONFLICT (opportunity_id, stage)
      DO UPDATE SET entered = excluded.entered, division = excluded.division;
    DELETE FROM kpi_stage_first f
      USING (SELECT opportunity_id, kpi_fold(stage) AS stage FROM old_rows
             UNION SELECT opportunity_id, kpi_fold(stage) FROM new_rows) p
      WHERE f.opportunity_id = p.opportunity_id AND f.stage = p.stage
        AND NOT EXISTS (SELECT 1 FROM stage_history h WHERE h.opportunity_id = p.opportunity_id
                          AND kpi_fold(h.stage) = p.stage);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_stage_first_insert AFTER INSERT ON stage_history
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_stage_first_recompute();
CREATE TRIGGER kpi_stage_first_delete AFTER DELETE ON stage_history
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_stage_first_recompute();
CREATE TRIGGER kpi_stage_first_update AFTER UPDATE ON stage_history
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_stage_first_recompute();

-- The division follows its opportunity (NULL once the opportunity is gone).
CREATE FUNCTION kpi_stage_first_division() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE kpi_stage_first f SET division = NULL FROM old_rows o
      WHERE f.opportunity_id = o.id AND f.division IS NOT NULL;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    UPDATE kpi_stage_first f SET division = NULL
      FROM (SELECT id FROM old_rows EXCEPT SELECT id FROM new_rows) gone
      WHERE f.opportunity_id = gone.id AND f.division IS NOT NULL;
  END IF;
  UPDATE kpi_stage_first f SET division = n.division FROM new_rows n
    WHERE f.opportunity_id = n.id AND f.division IS DISTINCT FROM n.division;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_stage_first_opportunity_insert AFTER INSERT ON opportunities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_stage_first_division();
CREATE TRIGGER kpi_stage_first_opportunity_delete AFTER DELETE ON opportunities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_stage_first_division();
CREATE TRIGGER kpi_stage_first_opportunity_update AFTER UPDATE ON opportunities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_stage_first_division();
