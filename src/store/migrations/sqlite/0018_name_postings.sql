-- 0018: the name index keeps each word's records in blocks. A row of name_postings holds up
-- to 64 ids of one word, in id order, joined by char(31), under the word and the block's first
-- id; a word's count of records is the sum of its blocks' (word_vocab goes). A first load of a
-- million names of three words wrote about four million rows of name_words and word_vocab;
-- it now writes about a million blocks. The kind is a number (0 account, 1 contact) here and
-- in word_variants, instead of the words 'account' and 'contact' in every row.
CREATE TABLE name_postings (
  kind INTEGER NOT NULL,
  word TEXT NOT NULL,
  first TEXT NOT NULL,
  records INTEGER NOT NULL,
  ids TEXT NOT NULL,
  PRIMARY KEY (kind, word, first)
) WITHOUT ROWID;
-- The blocks from the entries: numbered in id order within each word, cut every 64, each
-- block's ids joined in that order (a window's aggregate follows the window's ORDER BY).
INSERT INTO name_postings (kind, word, first, records, ids)
SELECT k, word, min(id), count(*), max(ids) FROM (
  SELECT k, word, id, blk,
         group_concat(id, char(31)) OVER (
           PARTITION BY k, word, blk ORDER BY id
           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS ids
  FROM (SELECT CASE kind WHEN 'account' THEN 0 ELSE 1 END AS k, word, id,
               (row_number() OVER (PARTITION BY kind, word ORDER BY id) - 1) / 64 AS blk
        FROM name_words))
GROUP BY k, word, blk;
DROP TABLE name_words;
DROP TABLE word_vocab;
CREATE TABLE word_variants_new (
  kind INTEGER NOT NULL, variant TEXT NOT NULL, word TEXT NOT NULL,
  PRIMARY KEY (kind, variant, word)
) WITHOUT ROWID;
INSERT INTO word_variants_new (kind, variant, word)
SELECT CASE kind WHEN 'account' THEN 0 ELSE 1 END, variant, word FROM word_variants;
DROP TABLE word_variants;
ALTER TABLE word_variants_new RENAME TO word_variants;
