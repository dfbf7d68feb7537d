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
  // What the HTTP API's routes ask besides the above (docs/api.md lists which route asks what).
  kSignIn,             // hold a session or a token at all
  kReadRecords,        // read records, reports (KPIs, SLAs, review) and the workbook export
  kCreateRecords,      // create accounts and contacts (after the search)
  kEditMasterData,     // edit an account's or contact's fields
  kLogInteractions,    // log interactions, close next actions
  kWorkOpportunities,  // create opportunities and move them through their journey
  kWorkCases,          // open and advance cases
  kImportWorkbook,     // import a whole workbook
  kEditTouchpoints,    // touchpoint add / edit (they carry budgets)
  kAddFeedback,        // feedback add (what a customer said, logged by staff)
  kImportFeedback,     // feedback import (a survey tool's export)
  kSurveyLinks,        // survey link (a signed link to send a customer)
  kSetStrategy,        // the one-page customer strategy and the seven steps (docs/strategy.md)
  kGoLive,             // the discovery questionnaire and the go-live plan
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
