-- The customer-strategy programme (docs/strategy.md): versions of the one-page strategy, the
-- seven steps per year, the discovery questionnaire's answers, the go-live plan's progress, and
-- who gave a piece of feedback on the hub itself (kind 'hub').

-- Every save of the strategy is a new version; nothing is updated or deleted.
CREATE TABLE strategy_versions (
  version INTEGER PRIMARY KEY,
  saved_at INTEGER NOT NULL,
  saved_by TEXT NOT NULL,
  body TEXT NOT NULL  -- the strategy as JSON (service/strategy_service.cc)
);
CREATE TRIGGER strategy_versions_no_update BEFORE UPDATE ON strategy_versions
BEGIN SELECT RAISE(ABORT, 'strategy versions are kept as saved'); END;
CREATE TRIGGER strategy_versions_no_delete BEFORE DELETE ON strategy_versions
BEGIN SELECT RAISE(ABORT, 'strategy versions are kept as saved'); END;

-- One row per step and year once someone set it; a missing row is "not-started".
CREATE TABLE cem_steps (
  year INTEGER NOT NULL,
  step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 7),
  status TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  started TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD, '' while not started
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (year, step)
);

-- Answers to the shipped questions (config/discovery.toml) by id, and questions added in the
-- hub (added = 1, their text kept here).
CREATE TABLE discovery_answers (
  id TEXT PRIMARY KEY,
  section TEXT NOT NULL DEFAULT '',
  question TEXT NOT NULL DEFAULT '',
  added INTEGER NOT NULL DEFAULT 0,
  owner TEXT NOT NULL DEFAULT '',
  answer TEXT NOT NULL DEFAULT '',
  answered_at INTEGER,
  answered_by TEXT NOT NULL DEFAULT ''
);

-- Progress of the shipped go-live plan's tasks (config/golive_plan.toml) by number.
CREATE TABLE golive_tasks (
  number INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);

-- The user who gave a piece of feedback on the hub itself ('' for customers' feedback).
ALTER TABLE feedback ADD COLUMN given_by TEXT NOT NULL DEFAULT '';
