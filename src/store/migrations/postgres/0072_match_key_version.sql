-- 0072 (PostgreSQL): nothing. SQLite keeps a version of the match keys for its in-process
-- cache of them; the PostgreSQL store has no such cache (docs/postgresql.md, "Search").
SELECT 1;
