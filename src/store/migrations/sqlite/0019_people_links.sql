-- 0019: people are links to users (docs/people.md). A person column holds the
-- login of the user it names, or, for someone who is not a user, the name as typed. Rows written
-- before held either a login or a full name, in any case and with stray spaces: each one that
-- names a user by login or full name (trimmed, ASCII case folded, as domain/people.cc matches)
-- becomes that user's login; a login wins over another user's equal name, then the first login
-- in login order.
-- The table of who is who, once: the few users under every spelling that names them.
CREATE TEMP TABLE people_0019 (key TEXT PRIMARY KEY, login TEXT);
INSERT OR IGNORE INTO people_0019 (key) SELECT lower(trim(login)) FROM users;
INSERT OR IGNORE INTO people_0019 (key) SELECT lower(trim(name)) FROM users WHERE trim(name) <> '';
UPDATE people_0019 SET login = coalesce(
  (SELECT min(u.login) FROM users u WHERE lower(trim(u.login)) = people_0019.key),
  (SELECT min(u.login) FROM users u WHERE lower(trim(u.name)) = people_0019.key));
UPDATE accounts SET owner = (SELECT login FROM people_0019 WHERE key = lower(trim(accounts.owner)))
  WHERE owner <> '' AND lower(trim(owner)) IN (SELECT key FROM people_0019)
    AND owner IS NOT (SELECT login FROM people_0019 WHERE key = lower(trim(accounts.owner)));
UPDATE opportunities SET owner = (SELECT login FROM people_0019 WHERE key = lower(trim(opportunities.owner)))
  WHERE owner <> '' AND lower(trim(owner)) IN (SELECT key FROM people_0019)
    AND owner IS NOT (SELECT login FROM people_0019 WHERE key = lower(trim(opportunities.owner)));
UPDATE stage_history SET by = (SELECT login FROM people_0019 WHERE key = lower(trim(stage_history.by)))
  WHERE by <> '' AND lower(trim(by)) IN (SELECT key FROM people_0019)
    AND by IS NOT (SELECT login FROM people_0019 WHERE key = lower(trim(stage_history.by)));
UPDATE cases SET owner = (SELECT login FROM people_0019 WHERE key = lower(trim(cases.owner)))
  WHERE owner <> '' AND lower(trim(owner)) IN (SELECT key FROM people_0019)
    AND owner IS NOT (SELECT login FROM people_0019 WHERE key = lower(trim(cases.owner)));
UPDATE interactions SET logged_by = (SELECT login FROM people_0019 WHERE key = lower(trim(interactions.logged_by)))
  WHERE logged_by <> '' AND lower(trim(logged_by)) IN (SELECT key FROM people_0019)
    AND logged_by IS NOT (SELECT login FROM people_0019 WHERE key = lower(trim(interactions.logged_by)));
UPDATE interactions SET next_action_owner = (SELECT login FROM people_0019 WHERE key = lower(trim(interactions.next_action_owner)))
  WHERE next_action_owner <> '' AND lower(trim(next_action_owner)) IN (SELECT key FROM people_0019)
    AND next_action_owner IS NOT (SELECT login FROM people_0019 WHERE key = lower(trim(interactions.next_action_owner)));
UPDATE journey_actions SET owner = (SELECT login FROM people_0019 WHERE key = lower(trim(journey_actions.owner)))
  WHERE owner <> '' AND lower(trim(owner)) IN (SELECT key FROM people_0019)
    AND owner IS NOT (SELECT login FROM people_0019 WHERE key = lower(trim(journey_actions.owner)));
UPDATE journey_actions SET created_by = (SELECT login FROM people_0019 WHERE key = lower(trim(journey_actions.created_by)))
  WHERE created_by <> '' AND lower(trim(created_by)) IN (SELECT key FROM people_0019)
    AND created_by IS NOT (SELECT login FROM people_0019 WHERE key = lower(trim(journey_actions.created_by)));
UPDATE checklist_answers SET by = (SELECT login FROM people_0019 WHERE key = lower(trim(checklist_answers.by)))
  WHERE by <> '' AND lower(trim(by)) IN (SELECT key FROM people_0019)
    AND by IS NOT (SELECT login FROM people_0019 WHERE key = lower(trim(checklist_answers.by)));
-- Which interaction is an owner's response may have changed for any opportunity: rebuild.
UPDATE kpi_funnel_state SET stale = 1;
DROP TABLE people_0019;
