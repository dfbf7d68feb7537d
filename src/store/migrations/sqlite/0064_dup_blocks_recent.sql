-- 0064: the duplicate index's recent changes, kept apart from its blocks (docs/store.md,
-- "Duplicate detection"). dup_blocks holds some 44 entries per account under random hashes, so
-- re-filing a renamed account wrote some 88 pages scattered over the whole table: a week of
-- 1,000 renamed accounts rewrote most of its pages. The entries a refresh adds or removes now
-- go here, a small table, and are folded into dup_blocks when this one grows as large as the
-- number of records filed, or when an index is rebuilt.
--
-- filed: 1 when (hash, n) is a block entry, 0 when it is not (whatever dup_blocks says). A row
-- here decides for its (hash, n); dup_blocks decides for the rest.
CREATE TABLE dup_blocks_recent (
  hash INTEGER NOT NULL,
  n INTEGER NOT NULL,
  filed INTEGER NOT NULL,
  PRIMARY KEY (hash, n)
) WITHOUT ROWID;
