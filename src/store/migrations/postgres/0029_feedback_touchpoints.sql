-- 0029: touchpoints, where feedback came from, an opportunity's source touchpoint, newsletter
-- subscriptions, and survey links (docs/feedback.md).
CREATE TABLE touchpoints (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  division text COLLATE "C" NOT NULL,      -- a division, or 'All'
  stage text NOT NULL DEFAULT '',          -- a stage of that division's journey
  channel text NOT NULL DEFAULT '',
  owner text NOT NULL DEFAULT '',
  yearly_budget double precision NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);

-- How a feedback row reached the hub: survey, form, import, staff.
ALTER TABLE feedback ADD COLUMN IF NOT EXISTS source text NOT NULL DEFAULT '';
-- The touchpoint ranking reads a period's feedback per touchpoint from this index alone.
CREATE INDEX IF NOT EXISTS feedback_date_touchpoint ON feedback (date, touchpoint, kind, score);
-- The emotion curve and the per-stage measures read a division's scores of one kind.
CREATE INDEX IF NOT EXISTS feedback_division_kind_date_stage ON feedback (division, kind, date, stage, score);

-- An opportunity's Source Touchpoint (optional: most opportunities name none, so a table of its
-- own rather than a column).
CREATE TABLE opportunity_sources (
  opportunity_id text COLLATE "C" PRIMARY KEY REFERENCES opportunities (id),
  touchpoint_id text COLLATE "C" NOT NULL REFERENCES touchpoints (id)
);
CREATE INDEX opportunity_sources_touchpoint ON opportunity_sources (touchpoint_id);

-- A contact's newsletter subscription date (local calendar date, YYYY-MM-DD: compared as text).
CREATE TABLE contact_newsletter (
  contact_id text COLLATE "C" PRIMARY KEY REFERENCES contacts (id),
  subscribed text COLLATE "C" NOT NULL
);
CREATE INDEX contact_newsletter_subscribed ON contact_newsletter (subscribed, contact_id);

-- Survey links: only the SHA-256 of a token's nonce is kept; used_at is set by its one answer.
CREATE TABLE survey_tokens (
  nonce_hash text COLLATE "C" PRIMARY KEY,
  touchpoint_id text COLLATE "C" NOT NULL REFERENCES touchpoints (id),
  contact_id text NOT NULL DEFAULT '',
  kind text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  created_by text NOT NULL DEFAULT '',
  used_at bigint,
  feedback_id text NOT NULL DEFAULT ''
);
