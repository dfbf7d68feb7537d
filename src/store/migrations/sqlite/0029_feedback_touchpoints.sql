-- 0029: touchpoints, where feedback came from, an opportunity's source touchpoint, newsletter
-- subscriptions, and survey links (docs/feedback.md).
CREATE TABLE touchpoints (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  division TEXT NOT NULL,          -- a division, or 'All'
  stage TEXT NOT NULL DEFAULT '',  -- a stage of that division's journey
  channel TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  yearly_budget REAL NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- How a feedback row reached the hub: survey, form, import, staff.
ALTER TABLE feedback ADD COLUMN source TEXT NOT NULL DEFAULT '';
-- The touchpoint ranking reads a period's feedback per touchpoint from this index alone.
CREATE INDEX feedback_date_touchpoint ON feedback(date, touchpoint, kind, score);
-- The emotion curve and the per-stage measures read a division's scores of one kind.
CREATE INDEX feedback_division_kind_date_stage ON feedback(division, kind, date, stage, score);

-- An opportunity's Source Touchpoint (optional: most opportunities name none, so a table of
-- its own rather than a column).
CREATE TABLE opportunity_sources (
  opportunity_id TEXT PRIMARY KEY REFERENCES opportunities(id),
  touchpoint_id TEXT NOT NULL REFERENCES touchpoints(id)
);
CREATE INDEX opportunity_sources_touchpoint ON opportunity_sources(touchpoint_id);

-- A contact's newsletter subscription date (local calendar date, YYYY-MM-DD).
CREATE TABLE contact_newsletter (
  contact_id TEXT PRIMARY KEY REFERENCES contacts(id),
  subscribed TEXT NOT NULL
);
CREATE INDEX contact_newsletter_subscribed ON contact_newsletter(subscribed);

-- Survey links: only the SHA-256 of a token's nonce is kept; used_at is set by its one answer.
CREATE TABLE survey_tokens (
  nonce_hash TEXT PRIMARY KEY,
  touchpoint_id TEXT NOT NULL REFERENCES touchpoints(id),
  contact_id TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  used_at INTEGER,
  feedback_id TEXT NOT NULL DEFAULT ''
);
