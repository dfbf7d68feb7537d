-- 0009: the first entry of each stage per opportunity, with the opportunity's division, kept by
-- triggers. "Entered X" is the earliest Stage History row of stage X (docs/kpi.md); the funnel
-- KPIs read the first entries of a division in a period straight from an index instead of
-- checking every stage row of the period for an earlier one. Stages are folded to lower case
-- (ASCII, as COLLATE NOCASE compares them).
CREATE TABLE kpi_stage_first (
  opportunity_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  entered INTEGER NOT NULL,
  division TEXT,
  PRIMARY KEY (opportunity_id, stage)
) WITHOUT ROWID;
CREATE INDEX kpi_stage_first_division ON kpi_stage_first(division, stage, entered);
INSERT INTO kpi_stage_first(opportunity_id, stage, entered, division)
  SELECT h.opportunity_id, lower(h.stage), MIN(h.entered),
         (SELECT o.division FROM opportunities o WHERE o.id = h.opportunity_id)
  FROM stage_history h GROUP BY h.opportunity_id, lower(h.stage);

-- Each trigger recomputes the (opportunity, stage) pairs a change touches: delete, then insert
-- the minimum again. No statement here can conflict, so no conflict clause is needed (a statement
-- that fires a trigger may override the trigger's own).
CREATE TRIGGER kpi_stage_first_insert AFTER INSERT ON stage_history BEGIN
  DELETE FROM kpi_stage_first
    WHERE opportunity_id = NEW.opportunity_id AND stage = lower(NEW.stage);
  INSERT INTO kpi_stage_first(opportunity_id, stage, entered, division)
    SELECT NEW.opportunity_id, lower(NEW.stage), MIN(h.entered),
           (SELECT o.division FROM opportunities o WHERE o.id = NEW.opportunity_id)
    FROM stage_history h
    WHERE h.opportunity_id = NEW.opportunity_id AND h.stage = NEW.stage COLLATE NOCASE;
END;
CREATE TRIGGER kpi_stage_first_delete AFTER DELETE ON stage_history BEGIN
  DELETE FROM kpi_stage_first
    WHERE opportunity_id = OLD.opportunity_id AND stage = lower(OLD.stage);
  INSERT INTO kpi_stage_first(opportunity_id, stage, entered, division)
    SELECT OLD.opportunity_id, lower(OLD.stage), MIN(h.entered),
           (SELECT o.division FROM opportunities o WHERE o.id = OLD.opportunity_id)
    FROM stage_history h
    WHERE h.opportunity_id = OLD.opportunity_id AND h.stage = OLD.stage COLLATE NOCASE
    HAVING count(*) > 0;
END;
CREATE TRIGGER kpi_stage_first_update AFTER UPDATE OF opportunity_id, stage, entered
ON stage_history BEGIN
  DELETE FROM kpi_stage_first
    WHERE (opportunity_id = OLD.opportunity_id AND stage = lower(OLD.stage))
       OR (opportunity_id = NEW.opportunity_id AND stage = lower(NEW.stage));
  INSERT INTO kpi_stage_first(opportunity_id, stage, entered, division)
    SELECT h.opportunity_id, lower(h.stage), MIN(h.entered),
           (SELECT o.division FROM opportunities o WHERE o.id = h.opportunity_id)
    FROM stage_history h
    WHERE (h.opportunity_id = OLD.opportunity_id AND h.stage = OLD.stage COLLATE NOCASE)
       OR (h.opportunity_id = NEW.opportunity_id AND h.stage = NEW.stage COLLATE NOCASE)
    GROUP BY h.opportunity_id, lower(h.stage);
END;
CREATE TRIGGER kpi_stage_first_opportunity_insert AFTER INSERT ON opportunities BEGIN
  UPDATE kpi_stage_first SET division = NEW.division WHERE opportunity_id = NEW.id;
END;
CREATE TRIGGER kpi_stage_first_opportunity_update AFTER UPDATE OF id, division
ON opportunities BEGIN
  UPDATE kpi_stage_first SET division = NULL WHERE opportunity_id = OLD.id;
  UPDATE kpi_stage_first SET division = NEW.division WHERE opportunity_id = NEW.id;
END;
CREATE TRIGGER kpi_stage_first_opportunity_delete AFTER DELETE ON opportunities BEGIN
  UPDATE kpi_stage_first SET division = NULL WHERE opportunity_id = OLD.id;
END;
