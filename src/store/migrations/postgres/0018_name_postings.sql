-- 0018: the name index of PostgreSQL: the typo-tolerant word index over the names of live
-- accounts and contacts (docs/store.md). kind: 0 for accounts, 1 for contacts.
--
-- name_entries holds one row per (word, record): a word's records are read in id order from
-- the primary key, and its count of records is counted there. name_variants holds the
-- one-deletion variants of each word (a symmetric-delete index), never the word itself: a word
-- is found as itself among the entries. A variant whose word no longer names a record stays
-- and is ignored (its word counts no records).

CREATE TABLE name_entries (
  kind smallint NOT NULL,
  word text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  PRIMARY KEY (kind, word, id)
);
CREATE TABLE name_variants (
  kind smallint NOT NULL,
  variant text COLLATE "C" NOT NULL,
  word text COLLATE "C" NOT NULL,
  PRIMARY KEY (kind, variant, word)
);
