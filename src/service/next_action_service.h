// Next actions: those carried by interactions and those created by journey rules, in one list.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/context.h"

namespace cx {

struct NextActionItem {
  std::string id;      // "I-…" (an interaction's next action) or "N-…" (a journey next action)
  std::string action;
  std::string owner;
  std::optional<Timestamp> due;
  bool overdue = false;  // due before the moment asked about
  std::string opportunity_id, case_id, contact_id;
  std::string rule;  // the journey rule that made it ("" for interactions and by hand)
};

struct NextActionQuery {
  bool overdue_only = false;
  std::string owner;            // compared ignoring case; "" = everyone
  std::optional<Timestamp> at;  // the moment "overdue" is judged at; default ctx.now()
};

// Open next actions, earliest due first (undated last, then by id).
// Errors: kInternal.
Result<std::vector<NextActionItem>> ListNextActions(const Context& ctx, const NextActionQuery& q);

// Marks a next action done ("I-…" or "N-…"). Audited. Errors: kNotFound, kInvalid for a malformed id,
// kConflict when it is done already.
Status CompleteNextAction(const Context& ctx, const std::string& id);

// Adds a journey next action inside `tx` and audits it (entity "next-action").
// Returns its id "N-NNNNNN".
Result<std::string> AddJourneyAction(Tx& tx, const Context& ctx, JourneyAction a);

// "N-000042" for seq 42.
std::string JourneyActionId(int64_t seq);

}  // namespace cx
