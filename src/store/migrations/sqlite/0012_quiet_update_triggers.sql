-- 0012: the update triggers of the KPI aggregates (0008, 0011) fired whenever an UPDATE named
-- one of their columns, and every save of a record names all of its columns: renaming an
-- account or giving a contact a new phone marked its activity changed, and the next scorecard
-- recomputed it for nothing. They now fire only when one of those columns really changes.
DROP TRIGGER kpi_activity_interaction_update;
CREATE TRIGGER kpi_activity_interaction_update AFTER UPDATE OF contact_id, at, division
ON interactions
WHEN OLD.contact_id IS NOT NEW.contact_id OR OLD.at IS NOT NEW.at
  OR OLD.division IS NOT NEW.division BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT account_id FROM contacts
    WHERE id IN (OLD.contact_id, NEW.contact_id) AND account_id IS NOT NULL;
END;
DROP TRIGGER kpi_activity_contact_update;
CREATE TRIGGER kpi_activity_contact_update AFTER UPDATE OF account_id ON contacts
WHEN OLD.account_id IS NOT NEW.account_id BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT value FROM (SELECT OLD.account_id AS value UNION SELECT NEW.account_id)
    WHERE value IS NOT NULL;
END;
DROP TRIGGER kpi_activity_order_update;
CREATE TRIGGER kpi_activity_order_update AFTER UPDATE OF erp_customer_id, date, division
ON orders
WHEN OLD.erp_customer_id IS NOT NEW.erp_customer_id OR OLD.date IS NOT NEW.date
  OR OLD.division IS NOT NEW.division BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT id FROM accounts WHERE erp_customer_id IN (OLD.erp_customer_id, NEW.erp_customer_id);
  INSERT INTO kpi_customer_dirty
    SELECT value FROM (SELECT OLD.erp_customer_id AS value UNION SELECT NEW.erp_customer_id);
END;
DROP TRIGGER kpi_activity_account_update;
CREATE TRIGGER kpi_activity_account_update AFTER UPDATE OF id, erp_customer_id ON accounts
WHEN OLD.id IS NOT NEW.id OR OLD.erp_customer_id IS NOT NEW.erp_customer_id BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT value FROM (SELECT OLD.id AS value UNION SELECT NEW.id);
END;
DROP TRIGGER kpi_funnel_opportunity_update;
CREATE TRIGGER kpi_funnel_opportunity_update
AFTER UPDATE OF id, division, owner, outcome, created, closed ON opportunities
WHEN OLD.id IS NOT NEW.id OR OLD.division IS NOT NEW.division OR OLD.owner IS NOT NEW.owner
  OR OLD.outcome IS NOT NEW.outcome OR OLD.created IS NOT NEW.created
  OR OLD.closed IS NOT NEW.closed BEGIN
  INSERT INTO kpi_funnel_dirty SELECT value FROM (SELECT OLD.id AS value UNION SELECT NEW.id);
END;
DROP TRIGGER kpi_funnel_stage_update;
CREATE TRIGGER kpi_funnel_stage_update AFTER UPDATE OF opportunity_id, stage, entered
ON stage_history
WHEN OLD.opportunity_id IS NOT NEW.opportunity_id OR OLD.stage IS NOT NEW.stage
  OR OLD.entered IS NOT NEW.entered BEGIN
  INSERT INTO kpi_funnel_dirty
    SELECT value FROM (SELECT OLD.opportunity_id AS value UNION SELECT NEW.opportunity_id);
END;
DROP TRIGGER kpi_funnel_interaction_update;
CREATE TRIGGER kpi_funnel_interaction_update AFTER UPDATE OF opportunity_id, at, logged_by
ON interactions
WHEN OLD.opportunity_id IS NOT NEW.opportunity_id OR OLD.at IS NOT NEW.at
  OR OLD.logged_by IS NOT NEW.logged_by BEGIN
  INSERT INTO kpi_funnel_dirty
    SELECT value FROM (SELECT OLD.opportunity_id AS value UNION SELECT NEW.opportunity_id)
    WHERE value IS NOT NULL;
END;
