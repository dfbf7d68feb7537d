// The append-only audit log.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/filters.h"
#include "domain/user.h"

namespace cx {

// The audit log: who changed what, when and why.
class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // The audit log is append-only: there is no update or delete.
  virtual Status AppendAudit(AuditEntry e) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) = 0;
};

}  // namespace cx
