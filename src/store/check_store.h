// The store operations `cxhub check` needs: the backend's own consistency checks and the raw
// facts the service compares with what they derive from (service/check_service.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/entity.h"
#include "domain/hub_check.h"

namespace cx {

class CheckStore {
 public:
  virtual ~CheckStore() = default;

  // The backend's own check of its storage: every page and tree readable, every index
  // holding exactly its table's rows. Returns the problems as the backend words them (at
  // most `limit`), none when sound. Errors: kInternal when the check itself cannot run.
  virtual Result<std::vector<std::string>> CheckStorage(int limit) = 0;
  // Rows whose reference names a row that does not exist, one line each ("contacts row 12:
  // its accounts reference names no row"), at most `limit`.
  virtual Result<std::vector<std::string>> CheckReferences(int limit) = 0;
  // The audit log's sequence numbers and guards (domain/hub_check.h).
  virtual Result<AuditLogFacts> GetAuditLogFacts() = 0;
  // Calls `fn` for every block of the name index of kind `k`, in word order; stops early on a
  // non-ok status.
  virtual Status ForEachNamePosting(NameKind k,
                                    const std::function<Status(const NamePosting&)>& fn) = 0;
};

}  // namespace cx
