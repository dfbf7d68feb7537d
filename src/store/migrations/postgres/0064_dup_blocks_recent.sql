-- 0064 (PostgreSQL): nothing. SQLite keeps its duplicate index's recent changes in a table of
-- their own; PostgreSQL updates its index entries in place.
SELECT 1;
