// Which tables a copy of a hub carries and in which order, the same for every backend
// (store/copy_store.h; docs/operations.md "Moving a hub").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/hub_copy.h"

namespace cx {

// Whether a copy leaves `table` behind: a table every backend derives from the others (the
// KPI aggregates, the first stage entries, the duplicate index, with their change lists and
// states: rebuilt on the target), a transient one (sessions, login throttles, idempotency
// keys, running loads: a moved hub starts with none), or one of `backend_own` (the backend's
// name index and bookkeeping tables).
bool CopyLeavesOut(std::string_view table, const std::vector<std::string_view>& backend_own);

// `tables` ordered so that each comes after every table it references (CopyTable::references),
// otherwise by name; a cycle of references keeps name order among its tables.
std::vector<CopyTable> InDependencyOrder(std::vector<CopyTable> tables);

// The settings key a migration gives each new hub (its identity): a hub holding only that is
// still empty, and a copy replaces it with the source's.
inline constexpr std::string_view kHubIdSetting = "hub_id";

}  // namespace cx
