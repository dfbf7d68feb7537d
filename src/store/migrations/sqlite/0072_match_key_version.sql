-- 0072: a version of the accounts' and contacts' match keys, raised whenever any of them may
-- have changed, so that a process's cache of match keys (store/sqlite/match_key_cache.h) is
-- emptied exactly when it must be, whoever wrote: the duplicate index's triggers (0010, 0069)
-- mark each record whose keys change in dup_dirty, and each mark raises the version. A bulk
-- load that drops those triggers raises it itself (sqlite_tx_bulk.cc). Before this, a read
-- emptied the cache whenever any other connection had committed anything (its data_version
-- moved): a server's read workers lost it at every interaction the write workers logged.
-- One row, found by its key (a per-row trigger must not scan, even a table of one row).
CREATE TABLE match_key_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO match_key_version VALUES (1, 0);
CREATE TRIGGER match_key_version_raise AFTER INSERT ON dup_dirty BEGIN
  UPDATE match_key_version SET n = n + 1 WHERE id = 1;
END;
