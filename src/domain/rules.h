// Who may do what: the one table of role × operation rules (docs/people.md). Every
// writing use case asks it (service/user_service.h Authorize); the command line and the HTTP
// API reach the same services, so they apply the same rules. Pure: no I/O.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/user.h"

namespace cx {

// The operations the rules distinguish.
enum class Operation {
  kEditRecords,        // accounts, contacts, interactions, opportunities, cases, feedback, imports
  kOverrideOwner,      // `ownership set`: an Account Owner changed outside the rule of engagement
  kImportOwner,        // an Account Owner changed by a workbook import
  kOverrideChecklist,  // a journey checklist skipped with a reason
  kSetKpiTargets,
  kMerge,  // merge duplicates and undo merges
  kErpSync,
  kErpQueue,  // accept or reject the steward's ERP queue
  kStewardHours,
  kManageUsers,
};

// How far a role's permission reaches.
enum class Reach {
  kNone,
  kOwnDivisions,  // records of the user's division(s); a user without a division: all
  kAll,
};

// One row of the table: an operation, what it is called in a refusal, whether the console's own
// "cli" actor (the administrator at the terminal, no --as) passes, and each role's reach.
struct OperationRule {
  Operation op;
  const char* what;
  bool console;
  Reach sales, service, steward, manager, admin, erp;
};

// The whole table, in the order of Operation.
std::span<const OperationRule> OperationRules();

// The reach of `role` for `op` (kNone for an unknown role).
Reach ReachOf(std::string_view role, Operation op);

// Whether `actor` may do `op` on records of `divisions` ("Motors; Medical" style lists, one per
// record touched; an empty list when the operation touches no division). `actor` nullopt is
// the console's "cli". A division-bound reach needs every record to share a division with the
// user (a record without a division is outside every division). Errors: kForbidden naming the
// actor, the operation and what was out of reach.
Status Authorize(const std::optional<User>& actor, Operation op,
                 std::span<const std::string> divisions = {});

}  // namespace cx
