-- 0026: each hub gets a random identity, kept in its settings. A backup is a page copy, so it
-- carries the identity of the hub it copies: `cxhub backup` replaces an earlier copy of the
-- same hub, and refuses (without --force) any other database, such as another hub.
INSERT OR IGNORE INTO settings (key, value) VALUES ('hub_id', lower(hex(randomblob(16))));
