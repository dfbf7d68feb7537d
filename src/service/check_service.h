// `cxhub check`: whether a hub is sound, and what is damaged when it is not
// (docs/reliability.md, "Damage is noticed").
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "service/context.h"

namespace cx {

// The outcome of one check.
struct CheckFinding {
  std::string check;  // "storage", "references", "audit log", "name index …"
  bool ok = true;
  std::string summary;                // what was checked ("2,000 accounts, 5,811 entries")
  std::vector<std::string> problems;  // what is damaged (at most a few dozen, then a count)
};

struct HubCheckReport {
  std::vector<CheckFinding> checks;
  bool ok() const {
    for (const auto& c : checks)
      if (!c.ok) return false;
    return true;
  }
};

// Runs every check on the hub of `ctx`: the backend's storage check (SQLite integrity_check),
// references between records, the audit log's sequence and append-only guards, and the name
// index against the names of accounts and contacts. A check that cannot even be read (a
// damaged page on its way) is itself a finding, so the report is complete whatever the
// damage. Read-only. Never fails: what it cannot do is a finding.
HubCheckReport CheckHub(const Context& ctx);

// The backend's storage check alone (as `backup` runs it on its source). Errors: kInternal
// naming the first problems and pointing at `cxhub check` when the storage is damaged.
Status CheckStorageSound(const Context& ctx, const std::string& what);

}  // namespace cx
