-- 0016: nothing to do on PostgreSQL. On SQLite this step removed the rows that repeated each
-- word of the name index as its own deletion variant; the PostgreSQL name index (0018) never
-- writes such rows: a word is looked up as itself among the entries.
SELECT 1;
