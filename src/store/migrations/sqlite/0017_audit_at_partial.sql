-- 0017: the index of audit rows by time holds only field changes. Its one reader (the weekly
-- review's ownership changes) asks for a field, never for the rows of created records or of
-- actions, whose `field` is empty: a first ERP sync of a million customers wrote a million
-- index entries no query reads. Queries by time say `field <> ''` so that SQLite can use the
-- partial index.
DROP INDEX IF EXISTS kpi_audit_at;
CREATE INDEX kpi_audit_at ON audit(at) WHERE field <> '';
