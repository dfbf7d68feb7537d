// The ERP sync: its history and the steward's queue.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <utility>
#include "base/status.h"
#include "base/time.h"
#include "domain/erp_records.h"

namespace cx {

// The ERP sync's history, watermarks, rejected rows and the steward's queue (docs/erp.md).
class ErpStore {
 public:
  virtual ~ErpStore() = default;

  // Appends a sync record; returns its seq.
  virtual Result<int64_t> InsertErpSync(const ErpSyncRecord& r) = 0;
  // Newest first.
  virtual Result<std::vector<ErpSyncRecord>> ListErpSyncs(int limit) = 0;
  // The watermark after the last applied sync of `kind`, or nullopt.
  virtual Result<std::optional<Timestamp>> ErpWatermark(const std::string& kind) = 0;
  // The id of the account (live or merged) linked to `erp_id`, or nullopt.
  virtual Result<std::optional<std::string>> AccountIdByErpId(const std::string& erp_id) = 0;
  // Every ERP customer id held by an account (live or merged), in no order.
  virtual Result<std::vector<std::string>> ErpCustomerIds() = 0;
  // Inserts a queue item; returns its id.
  virtual Result<int64_t> InsertErpQueueItem(const ErpQueueItem& q) = 0;
  virtual Status UpdateErpQueueItem(const ErpQueueItem& q) = 0;
  virtual Result<std::optional<ErpQueueItem>> GetErpQueueItem(int64_t id) = 0;
  // The newest item of that kind for the account and ERP id, whatever its status.
  virtual Result<std::optional<ErpQueueItem>> FindErpQueueItem(const std::string& kind,
                                                               const std::string& account_id,
                                                               const std::string& erp_id) = 0;
  // Items with `status` (all when empty), oldest first.
  virtual Result<std::vector<ErpQueueItem>> ListErpQueue(const std::string& status, int limit) = 0;
  // The keys (ERP Customer IDs or Order IDs) of the rows of `kind` that a --partial sync
  // rejected and no later row has put right, with the rejected row's Last Modified when it
  // had a valid one.
  virtual Result<std::vector<std::pair<std::string, std::optional<Timestamp>>>> ErpRejectedKeys(
      const std::string& kind) = 0;
  // Records (or records again) a rejected row's key.
  virtual Status PutErpRejected(const std::string& kind, const std::string& key,
                                std::optional<Timestamp> last_modified, int64_t sync_seq,
                                int64_t line, const std::string& reason) = 0;
  // The key was put right: forgets it.
  virtual Status DeleteErpRejected(const std::string& kind, const std::string& key) = 0;
};

}  // namespace cx
