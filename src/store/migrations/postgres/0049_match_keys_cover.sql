-- 0049 (PostgreSQL): the keys search ranks a record by, held by an index of ids (INCLUDE), so
-- that a search's candidates can be read by index-only scans, as on SQLite (docs/search.md,
-- "Speed").
CREATE INDEX accounts_match ON accounts(id)
  INCLUDE (name, name_key, phone_key, email_key, merged_into);
CREATE INDEX contacts_match ON contacts(id)
  INCLUDE (full_name, name_key, phone_key, email_key, account_id, merged_into);
