-- 0047: the open next actions' index also holds who owns each action and when it was logged, so
-- that the weekly pack counts the overdue actions per person from the index alone. Counting them
-- through the narrower index read every open action's table row: at 10 million interactions
-- (half a million open actions) 1.5 s of a 3 s budget, 0.3 s from the index alone
-- (docs/kpi.md, "Speed").
DROP INDEX interactions_next_action;
CREATE INDEX interactions_next_action ON interactions(next_action_due, next_action_owner, logged_by, at)
  WHERE next_action <> '' AND next_action_done = 0;
