-- 0016: the name index's variants table no longer repeats each word as its own variant (a word
-- is looked up as itself in word_vocab). Those rows were one per distinct word: a first sync
-- of a million customers whose names hold a million distinct words (numbers among them, which
-- have no other variant) wrote a million rows for nothing.
DELETE FROM word_variants WHERE variant = word;
