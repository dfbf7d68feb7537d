-- 0010: the probable duplicates, kept up to date as accounts and contacts change, so that the
-- weekly pack and `cxhub duplicates` read the clusters instead of comparing every record again.
-- docs/architecture.md ("Duplicate detection") explains the scheme; service/dedupe.cc keeps it.
--
-- kind: 0 for accounts, 1 for contacts.
--
-- dup_records: each live record as last filed, with its blocking hashes (8-byte little-endian
-- integers, in a blob) so that its old blocks can be found after its keys changed.
CREATE TABLE dup_records (
  n INTEGER PRIMARY KEY,
  kind INTEGER NOT NULL,
  id TEXT NOT NULL,
  hashes BLOB NOT NULL,
  UNIQUE (kind, id)
);
-- The blocks: records of one kind that share a blocking hash are compared (hashes are salted
-- per kind, but 36 bits can collide across kinds: readers filter on the record's kind).
CREATE TABLE dup_blocks (
  hash INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (hash, n)
) WITHOUT ROWID;
-- The probable-duplicate pairs (a < b), with the score and reasons of their comparison.
CREATE TABLE dup_pairs (
  kind INTEGER NOT NULL,
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  score REAL NOT NULL,
  why TEXT NOT NULL,
  PRIMARY KEY (kind, a, b)
) WITHOUT ROWID;
CREATE INDEX dup_pairs_b ON dup_pairs(kind, b);
-- Records whose keys changed since the tables were brought up to date, appended by the triggers
-- below (repeats allowed, as for kpi_activity_dirty in 0008).
CREATE TABLE dup_dirty (kind INTEGER NOT NULL, id TEXT NOT NULL);
-- stale: 1 when everything must be rebuilt (before the first build; a bulk load drops the
-- triggers below and sets it).
CREATE TABLE dup_state (
  kind INTEGER PRIMARY KEY,
  stale INTEGER NOT NULL
);
INSERT INTO dup_state(kind, stale) VALUES (0, 1), (1, 1);

CREATE TRIGGER dup_account_insert AFTER INSERT ON accounts BEGIN
  INSERT INTO dup_dirty VALUES (0, NEW.id);
END;
CREATE TRIGGER dup_account_update AFTER UPDATE OF id, name, name_key, phone_key, email_key,
merged_into ON accounts
WHEN OLD.id IS NOT NEW.id OR OLD.name IS NOT NEW.name OR OLD.name_key IS NOT NEW.name_key
  OR OLD.phone_key IS NOT NEW.phone_key OR OLD.email_key IS NOT NEW.email_key
  OR OLD.merged_into IS NOT NEW.merged_into BEGIN
  INSERT INTO dup_dirty VALUES (0, OLD.id), (0, NEW.id);
END;
CREATE TRIGGER dup_account_delete AFTER DELETE ON accounts BEGIN
  INSERT INTO dup_dirty VALUES (0, OLD.id);
END;
CREATE TRIGGER dup_contact_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO dup_dirty VALUES (1, NEW.id);
END;
CREATE TRIGGER dup_contact_update AFTER UPDATE OF id, full_name, name_key, phone_key, email_key,
account_id, merged_into ON contacts
WHEN OLD.id IS NOT NEW.id OR OLD.full_name IS NOT NEW.full_name
  OR OLD.name_key IS NOT NEW.name_key OR OLD.phone_key IS NOT NEW.phone_key
  OR OLD.email_key IS NOT NEW.email_key OR OLD.account_id IS NOT NEW.account_id
  OR OLD.merged_into IS NOT NEW.merged_into BEGIN
  INSERT INTO dup_dirty VALUES (1, OLD.id), (1, NEW.id);
END;
CREATE TRIGGER dup_contact_delete AFTER DELETE ON contacts BEGIN
  INSERT INTO dup_dirty VALUES (1, OLD.id);
END;
