-- 0047 (PostgreSQL): the open next actions' index also holds who owns each action, who logged it
-- and when, so that the weekly pack counts the overdue actions per person from the index alone
-- (as SQLite's 0047; docs/kpi.md, "Speed").
DROP INDEX IF EXISTS interactions_next_action;
CREATE INDEX interactions_next_action
  ON interactions(next_action_due, next_action_owner, logged_by, at)
  WHERE next_action <> '' AND next_action_done = 0;
