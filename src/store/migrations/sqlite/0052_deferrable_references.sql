-- 0052: nothing to do on SQLite. The PostgreSQL file of this number makes foreign keys
-- deferrable for `move-store`; SQLite defers them per transaction (PRAGMA defer_foreign_keys).
SELECT 1;
