-- 0057 (PostgreSQL): each word's count of records in the name index, kept beside its entries
-- (docs/postgresql.md, "Search"). Search-first ranks a name's words by how many records use
-- them; counting a common word's entries (tens of thousands at a million accounts) on every
-- look-up made its cost grow with the hub. A word with no record has no row.
CREATE TABLE name_words (
  kind smallint NOT NULL,
  word text COLLATE "C" NOT NULL,
  records bigint NOT NULL,
  PRIMARY KEY (kind, word)
);
INSERT INTO name_words (kind, word, records)
SELECT kind, word, count(*) FROM name_entries GROUP BY kind, word;
