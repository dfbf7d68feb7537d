-- 0047 (PostgreSQL): the open next actions' index also holds who owns each action and when it was
-- logged (INCLUDE), so the weekly review counts the overdue actions per person from the index
-- alone (docs/kpi.md, "Speed"), as on SQLite.
DROP INDEX interactions_next_action;
CREATE INDEX interactions_next_action ON interactions(next_action_due)
  INCLUDE (next_action_owner, logged_by, at) WHERE next_action <> '' AND next_action_done = 0;
