-- 0004: ERP sync history (with watermarks) and the steward's ERP queue (proposed links, missing customers).
CREATE TABLE erp_syncs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  encoding TEXT NOT NULL DEFAULT '',
  full INTEGER NOT NULL DEFAULT 0,
  partial INTEGER NOT NULL DEFAULT 0,
  rows INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  skipped_older INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  flagged_missing INTEGER NOT NULL DEFAULT 0,
  proposed_links INTEGER NOT NULL DEFAULT 0,
  watermark_before INTEGER,
  watermark_after INTEGER,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL
);
CREATE INDEX erp_syncs_kind ON erp_syncs(kind, seq);

CREATE TABLE erp_queue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  erp_id TEXT NOT NULL,
  why TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open',
  sync_seq INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX erp_queue_key ON erp_queue(kind, account_id, erp_id);
CREATE INDEX erp_queue_status ON erp_queue(status, id);
