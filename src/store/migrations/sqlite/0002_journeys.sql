-- 0002: journeys — checklist answers and next actions created by journey rules.
CREATE TABLE checklist_answers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
  item TEXT NOT NULL,
  answer TEXT NOT NULL,
  at INTEGER NOT NULL,
  by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX checklist_answers_opportunity ON checklist_answers(opportunity_id);

CREATE TABLE journey_actions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  opportunity_id TEXT REFERENCES opportunities(id),
  case_id TEXT REFERENCES cases(id),
  action TEXT NOT NULL,
  due INTEGER,
  owner TEXT NOT NULL DEFAULT '',
  done INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  rule TEXT NOT NULL DEFAULT ''
);
CREATE INDEX journey_actions_open ON journey_actions(due) WHERE done = 0;
CREATE INDEX journey_actions_opportunity ON journey_actions(opportunity_id) WHERE opportunity_id IS NOT NULL;
CREATE INDEX cases_kind_opened ON cases(kind, opened);
