// The ERP sync's records: the sync history and the steward's queue (docs/erp.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/time.h"

namespace cx {

// One applied ERP sync (docs/erp.md): who, which file, counts, watermarks.
struct ErpSyncRecord {
  int64_t seq = 0;
  std::string kind;  // "customers" / "orders"
  std::string actor, file_name, file_sha256, encoding;
  bool full = false, partial = false;
  int64_t rows = 0, created = 0, updated = 0, unchanged = 0, skipped_older = 0, rejected = 0;
  int64_t flagged_missing = 0, proposed_links = 0;
  std::optional<Timestamp> watermark_before, watermark_after;
  Timestamp started_at = 0, finished_at = 0;
};
// One item of the steward's ERP queue: a proposed link of a hub account to an ERP
// customer ("link"), or a linked account missing from a full export ("missing").
struct ErpQueueItem {
  int64_t id = 0;
  std::string kind;  // "link" / "missing"
  std::string account_id, erp_id, why;
  std::string status =
      "open";  // open, accepted, rejected, superseded, acknowledged, dismissed, reappeared
  int64_t sync_seq = 0;
  Timestamp created_at = 0;
  std::optional<Timestamp> decided_at;
  std::string decided_by, reason;
};

}  // namespace cx
