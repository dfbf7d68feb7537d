-- 0035: the customer-strategy programme (docs/strategy.md): versions of the one-page strategy,
-- the seven steps per year, the discovery questionnaire's answers, the go-live plan's progress,
-- and who gave a piece of feedback on the hub itself (kind 'hub').

-- Every save of the strategy is a new version; nothing is updated or deleted.
CREATE TABLE strategy_versions (
  version bigint PRIMARY KEY,
  saved_at bigint NOT NULL,
  saved_by text NOT NULL,
  body text NOT NULL  -- the strategy as JSON (service/strategy_service.cc)
);
CREATE FUNCTION strategy_versions_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'strategy versions are kept as saved';
END $$;
CREATE TRIGGER strategy_versions_no_change BEFORE UPDATE OR DELETE ON strategy_versions
  FOR EACH ROW EXECUTE FUNCTION strategy_versions_kept();

-- One row per step and year once someone set it; a missing row is "not-started".
CREATE TABLE cem_steps (
  year integer NOT NULL,
  step integer NOT NULL CHECK (step BETWEEN 1 AND 7),
  status text NOT NULL,
  owner text NOT NULL DEFAULT '',
  note text NOT NULL DEFAULT '',
  started text NOT NULL DEFAULT '',  -- YYYY-MM-DD, '' while not started
  updated_at bigint NOT NULL,
  updated_by text NOT NULL,
  PRIMARY KEY (year, step)
);

-- Answers to the shipped questions (config/discovery.toml) by id, and questions added in the
-- hub (added, their text kept here).
CREATE TABLE discovery_answers (
  id text COLLATE "C" PRIMARY KEY,
  section text NOT NULL DEFAULT '',
  question text NOT NULL DEFAULT '',
  added boolean NOT NULL DEFAULT false,
  owner text NOT NULL DEFAULT '',
  answer text NOT NULL DEFAULT '',
  answered_at bigint,
  answered_by text NOT NULL DEFAULT ''
);

-- Progress of the shipped go-live plan's tasks (config/golive_plan.toml) by number.
CREATE TABLE golive_tasks (
  number integer PRIMARY KEY,
  status text NOT NULL,
  note text NOT NULL DEFAULT '',
  updated_at bigint NOT NULL,
  updated_by text NOT NULL
);

-- The user who gave a piece of feedback on the hub itself ('' for customers' feedback).
ALTER TABLE feedback ADD COLUMN IF NOT EXISTS given_by text NOT NULL DEFAULT '';
