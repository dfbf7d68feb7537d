-- 0023: the bulk loads running now (a workbook import, an ERP sync), one row each. A load writes
-- its row in a transaction of its own before it begins and deletes it when it ends, so that a
-- command that meets the locked hub can say which load holds it, who started it and when
-- (docs/operations.md). A row whose process died (a killed load) is recognised by its pid on its
-- host, ignored, and removed by the next load.
CREATE TABLE hub_loads (
  id INTEGER PRIMARY KEY,
  what TEXT NOT NULL,
  started_by TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL
);
