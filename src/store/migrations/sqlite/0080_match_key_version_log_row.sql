-- 0080: the match key version (0072) no longer needs a write per marked record. Its trigger
-- raised the counter at every row the duplicate index's triggers append to dup_dirty: a weekly
-- ERP delta that renames 45,000 accounts raised it 45,000 times, some 0.1 s of its 2 s of CPU
-- time (docs/operations.md, "Weekly deltas"). Readers now take the counter together with the
-- log's last row (SqliteStore::KeyCacheGeneration): each mark appends a row one past the
-- largest, so the pair moves with every mark, whoever writes it (another process, a bare
-- `sqlite3` connection). What takes rows out of the log (a refresh of the duplicate index)
-- raises the counter, so that a rowid given again never brings back a pair already seen; a
-- bulk load, which drops the marking triggers, raises it as before.
DROP TRIGGER match_key_version_raise;
