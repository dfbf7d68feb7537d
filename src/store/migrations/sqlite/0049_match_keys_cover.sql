-- 0049: the keys search ranks a record by (its name, name key, phone and email keys, account),
-- in an index of their own by id, so that the hundreds of candidates of a search are read from
-- that index alone: through the primary key each was a look-up of the id and then of the
-- table's wide row (docs/search.md, "Speed"). The readers name it (INDEXED BY): without
-- statistics the planner prefers the unique index of the primary key.
CREATE INDEX accounts_match ON accounts(id, name, name_key, phone_key, email_key, merged_into);
CREATE INDEX contacts_match ON contacts(id, full_name, name_key, phone_key, email_key, account_id,
  merged_into);
