-- 0015: the rows a --partial ERP sync rejected and nothing has put right since, by kind and
-- key (ERP Customer ID or Order ID), with the row's Last Modified when it had a valid one. A
-- later export's row with such a key, as new as the rejected one, is applied even when it is
-- not newer than the watermark, so that feeding the corrected rows (FILE.rejected.csv,
-- fixed) never finds them skipped because other syncs moved the watermark on meanwhile. Any
-- valid row with the key, in any later sync, puts it right and removes it.
CREATE TABLE erp_rejected (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  last_modified INTEGER,
  sync_seq INTEGER NOT NULL,
  line INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;
