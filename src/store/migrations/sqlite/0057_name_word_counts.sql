-- 0057: nothing to do on SQLite. On PostgreSQL this step adds each name index word's count of
-- records (name_words); SQLite's blocks of postings (0018) carry their own counts.
SELECT 1;
