// Opportunities through their journey: create (with lead routing), check items, move, win, lose;
// and the rule of engagement (account ownership).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/journey.h"
#include "service/context.h"
#include "service/routing_service.h"

namespace cx {

// A manager's override of a refused move: needs the acting (--as) user to have
// the role manager, and a reason. Both are audited.
struct Override {
  bool requested = false;
  std::string reason;
};

struct AddOpportunityResult {
  Opportunity opportunity;
  std::optional<RoutingDecision> routing;  // set when the lead was routed
  std::vector<std::string> next_actions;   // ids of next actions created
};

// Creates an opportunity at its journey's first stage (or `o.stage`, which must
// be before the won stage) with Created = o.created or now. An unowned lead of
// the routed division is routed (audited with the rule); other unowned ones get
// the acting user as owner when that is a user. Errors: kInvalid naming every bad
// field (unknown account/division/stage); kConflict when the id exists; nothing
// is written on error. `source_touchpoint`, when given, must name a touchpoint: it is the
// opportunity's Source Touchpoint (docs/feedback.md).
Result<AddOpportunityResult> AddOpportunity(const Context& ctx, Opportunity o,
                                            const std::string& source_touchpoint = "");

// A checklist item of the opportunity's journey and whether it is done.
struct ChecklistStatus {
  std::string checklist;  // name
  std::string required_for;
  ChecklistItem item;
  bool done = false;
  std::string answer, by;
  std::optional<Timestamp> at;
};

// Records checklist items as done (`items` are labels or keys, any case).
// Errors: kInvalid naming every unknown item and listing the known ones; kNotFound.
Status CheckItems(const Context& ctx, const std::string& opportunity_id,
                  const std::vector<std::string>& items, const std::string& answer);

struct MoveResult {
  Opportunity opportunity;
  std::vector<std::string> overridden;    // checklist items skipped under a manager's override
  std::vector<std::string> next_actions;  // ids of next actions created
};

// Moves an open opportunity to `stage` (any case) at `at` (default now). Moving
// forward past a stage whose checklist is incomplete is refused naming every
// missing item, unless `ov` is a manager's override with a reason. Stages after
// the won stage need the opportunity won first; the won and lost stages go
// through WinOpportunity / LoseOpportunity. Errors: kNotFound, kInvalid,
// kConflict (refusal), kForbidden (override by a non-manager). Nothing is written on error.
Result<MoveResult> MoveOpportunity(const Context& ctx, const std::string& id,
                                   const std::string& stage, std::optional<Timestamp> at,
                                   const Override& ov);

// Wins an open opportunity at `at` (default now): its stage becomes the won stage
// (checklists as for a move), its outcome won. The closer (`closer`, else the
// opportunity's owner, else the acting user) becomes its owner and the Account
// Owner; the ownership change is audited (entity account, field owner, action
// ownership, reason "won opportunity O-…"). Errors as MoveOpportunity, plus
// kInvalid when nobody can be named the closer.
Result<MoveResult> WinOpportunity(const Context& ctx, const std::string& id,
                                  const std::string& closer, std::optional<Timestamp> at,
                                  const Override& ov);

// Loses an open opportunity with a reason (required). Errors: kNotFound, kInvalid, kConflict.
Result<Opportunity> LoseOpportunity(const Context& ctx, const std::string& id,
                                    const std::string& reason, std::optional<Timestamp> at);

struct OpportunityView {
  Opportunity opportunity;
  std::vector<StageEntry> history;
  std::vector<ChecklistStatus> checklist;
  std::vector<JourneyAction> next_actions;
  std::vector<Interaction> interactions;
};

// Errors: kNotFound.
Result<OpportunityView> ShowOpportunity(const Context& ctx, const std::string& id);

// Changes an Account Owner by hand: only a manager (the --as user; the bare
// command-line actor is refused), with a reason. Audited as an ownership change.
// Errors: kNotFound, kInvalid (no reason, same owner), kForbidden.
Result<Account> ChangeAccountOwner(const Context& ctx, const std::string& account_id,
                                   const std::string& new_owner, const std::string& reason);

// Every ownership change of an account, oldest first. Errors: kNotFound.
Result<std::vector<AuditEntry>> OwnershipHistory(const Context& ctx, const std::string& account_id);

}  // namespace cx
