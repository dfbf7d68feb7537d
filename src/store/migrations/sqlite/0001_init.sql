-- 0001: the data model of docs/data-model.md, the audit log, the name index, merges.
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  industry TEXT NOT NULL DEFAULT '',
  erp_customer_id TEXT,
  owner TEXT NOT NULL DEFAULT '',
  divisions TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT 'customer',
  address TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  phone_key TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  email_key TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  custom TEXT NOT NULL DEFAULT '{}',
  merged_into TEXT REFERENCES accounts(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX accounts_erp ON accounts(erp_customer_id) WHERE erp_customer_id IS NOT NULL;
CREATE INDEX accounts_name_key ON accounts(name_key);
CREATE INDEX accounts_phone_key ON accounts(phone_key) WHERE phone_key <> '';
CREATE INDEX accounts_email_key ON accounts(email_key) WHERE email_key <> '';
CREATE INDEX accounts_owner ON accounts(owner);

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  full_name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  job_title TEXT NOT NULL DEFAULT '',
  account_id TEXT REFERENCES accounts(id),
  email TEXT NOT NULL DEFAULT '',
  email_key TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  phone_key TEXT NOT NULL DEFAULT '',
  custom TEXT NOT NULL DEFAULT '{}',
  merged_into TEXT REFERENCES contacts(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_account ON contacts(account_id);
CREATE INDEX contacts_name_key ON contacts(name_key);
CREATE INDEX contacts_phone_key ON contacts(phone_key) WHERE phone_key <> '';
CREATE INDEX contacts_email_key ON contacts(email_key) WHERE email_key <> '';

CREATE TABLE opportunities (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  division TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  amount REAL,
  stage TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  closed INTEGER,
  outcome TEXT NOT NULL DEFAULT 'open',
  lost_reason TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  custom TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX opportunities_account ON opportunities(account_id);
CREATE INDEX opportunities_division_created ON opportunities(division, created);
CREATE INDEX opportunities_division_closed ON opportunities(division, closed);

CREATE TABLE stage_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
  stage TEXT NOT NULL,
  entered INTEGER NOT NULL,
  by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stage_history_opportunity ON stage_history(opportunity_id, entered);
CREATE INDEX stage_history_stage ON stage_history(stage COLLATE NOCASE, entered);

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  contact_id TEXT REFERENCES contacts(id),
  division TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  opened INTEGER NOT NULL,
  first_response INTEGER,
  resolution_confirmed INTEGER,
  closed INTEGER,
  owner TEXT NOT NULL DEFAULT '',
  quote_approved INTEGER,
  work_started INTEGER,
  custom TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX cases_account ON cases(account_id);
CREATE INDEX cases_contact ON cases(contact_id);
CREATE INDEX cases_division_kind ON cases(division, kind, opened);

CREATE TABLE interactions (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  channel TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  next_action TEXT NOT NULL DEFAULT '',
  next_action_due INTEGER,
  next_action_owner TEXT NOT NULL DEFAULT '',
  next_action_done INTEGER NOT NULL DEFAULT 0,
  logged_by TEXT NOT NULL DEFAULT '',
  division TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT '',
  opportunity_id TEXT REFERENCES opportunities(id),
  case_id TEXT REFERENCES cases(id),
  checklist TEXT NOT NULL DEFAULT '{}',
  custom TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
CREATE INDEX interactions_contact ON interactions(contact_id, at);
CREATE INDEX interactions_at ON interactions(at);
CREATE INDEX interactions_opportunity ON interactions(opportunity_id, at) WHERE opportunity_id IS NOT NULL;
CREATE INDEX interactions_case ON interactions(case_id) WHERE case_id IS NOT NULL;
CREATE INDEX interactions_next_action ON interactions(next_action_due) WHERE next_action <> '' AND next_action_done = 0;

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  erp_customer_id TEXT NOT NULL,
  date INTEGER NOT NULL,
  division TEXT NOT NULL,
  amount REAL NOT NULL,
  currency TEXT NOT NULL DEFAULT 'NGN',
  last_modified INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX orders_division_date ON orders(division, date);
CREATE INDEX orders_customer ON orders(erp_customer_id, division, date);

CREATE TABLE feedback (
  id TEXT PRIMARY KEY,
  date INTEGER NOT NULL,
  account_id TEXT REFERENCES accounts(id),
  contact_id TEXT REFERENCES contacts(id),
  division TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  score REAL NOT NULL,
  stage TEXT NOT NULL DEFAULT '',
  platform TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  touchpoint TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feedback_division_date ON feedback(division, kind, date);
CREATE INDEX feedback_account ON feedback(account_id);
CREATE INDEX feedback_contact ON feedback(contact_id);

CREATE TABLE users (
  login TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  division TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  away INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL DEFAULT '',
  before TEXT NOT NULL DEFAULT '',
  after TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit(entity_id, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The name index: words of live names, their use counts, and their one-deletion
-- variants for typo-tolerant lookup (a symmetric-delete index).
CREATE TABLE name_words (
  kind TEXT NOT NULL, word TEXT NOT NULL, id TEXT NOT NULL,
  PRIMARY KEY (kind, word, id)
) WITHOUT ROWID;
CREATE TABLE word_vocab (
  kind TEXT NOT NULL, word TEXT NOT NULL, records INTEGER NOT NULL,
  PRIMARY KEY (kind, word)
) WITHOUT ROWID;
CREATE TABLE word_variants (
  kind TEXT NOT NULL, variant TEXT NOT NULL, word TEXT NOT NULL,
  PRIMARY KEY (kind, variant, word)
) WITHOUT ROWID;

CREATE TABLE merges (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  survivor TEXT NOT NULL,
  merged TEXT NOT NULL,
  moved TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  undone_at INTEGER
);

CREATE TABLE id_counters (prefix TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
