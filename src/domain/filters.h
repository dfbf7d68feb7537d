// Filters for listing records. Empty strings and nullopt mean "any". Results are ordered by id
// (accounts, contacts) or time (interactions), then limited.
#pragma once

#include <optional>
#include <string>

#include "base/time.h"

namespace cx {

struct AccountFilter {
  std::string division, owner, type, erp_customer_id;
  bool missing_erp_id = false;
  bool include_merged = false;
  int limit = 100;
  int offset = 0;
};
struct ContactFilter {
  std::string account_id;
  bool include_merged = false;
  int limit = 100;
  int offset = 0;
};
struct InteractionFilter {
  std::string contact_id, account_id, opportunity_id, case_id, logged_by, division;
  std::optional<Timestamp> from, to;  // [from, to)
  bool open_next_actions = false;     // only those with a next action not done
  std::string next_action_owner;
  int limit = 100;
  int offset = 0;
  bool newest_first = true;  // by time, then by order of writing; false: order of writing
};
struct OpportunityFilter {
  std::string account_id, division, owner, outcome;
  int limit = 1000;
  int offset = 0;
};
struct CaseFilter {
  std::string account_id, division, kind;
  bool open_only = false;
  int limit = 1000;
  int offset = 0;
};
struct AuditFilter {
  std::string entity, entity_id, actor, action;
  int limit = 200;
  bool newest_first = true;  // by time, then by order of writing; false: order of writing
};

}  // namespace cx
