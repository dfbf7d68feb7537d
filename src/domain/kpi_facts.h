// The facts the KPIs and the weekly review read from the store (docs/kpi.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

namespace cx {

// One opportunity whose earliest Stage History row of a stage falls in a period.
struct KpiStageRow {
  std::string id, owner, outcome;
  Timestamp entered = 0;  // earliest entry of the stage asked for
  std::optional<Timestamp> closed;
  std::optional<Timestamp> other_entered;  // earliest entry of the second stage asked for
  std::optional<Timestamp> won_entered;    // earliest Stage History row "won"
};
// One opportunity closed (or created) in a period, with the facts the KPIs need.
struct KpiOpportunityRow {
  std::string id, division, owner, outcome, stage, account_id, lost_reason;
  Timestamp created = 0;
  std::optional<Timestamp> closed;
  std::optional<Timestamp> stage_entered;  // earliest entry of the stage asked for
  std::optional<Timestamp>
      first_response;  // first interaction carrying its id logged by its owner, before a bound
  std::optional<double> amount;
};
// One case with the facts the KPIs need.
struct KpiCaseRow {
  std::string id, division, kind, owner, account_id;
  Timestamp opened = 0;
  std::optional<Timestamp> resolution_confirmed, closed;
  int64_t interactions = 0;  // interactions carrying its id before a bound
};
// Count and sum of order amounts.
struct KpiOrderStats {
  int64_t orders = 0;
  double amount = 0;
};
// Repeat-customer counts for one division and period.
struct KpiRepeatStats {
  int64_t customers = 0, returning = 0;
  std::vector<std::string> returning_ids, other_ids;  // ERP Customer IDs, up to a limit each
};
// One feedback score.
struct KpiFeedbackRow {
  std::string id, division;
  double score = 0;
};
// An account active in a division (interaction via a contact, or order via its ERP Customer ID).
struct KpiActiveAccount {
  std::string division, account_id;
};
// The repeat customer rate's look-back: an order returns when the customer's previous order of
// the division is at most this long before it (docs/kpi.md).
inline constexpr int64_t kKpiRepeatGapSeconds = 183 * 86400;
// The accounts active in a period, from the aggregate of active days: how many, and the first ids.
struct KpiActivityCount {
  int64_t accounts = 0;
  std::vector<std::string> ids;  // in id order, at most the limit asked for
};
// Which time of an opportunity a read of the funnel aggregate takes in the period: the first
// entry of a funnel stage, Closed or Created.
enum class KpiFunnelAxis { kQualified, kQuote, kSigned, kClosed, kCreated };
// One opportunity as the funnel aggregate keeps it (docs/kpi.md): its facts,
// the earliest Stage History row of each funnel stage (stage names without case), and its first
// response: the earliest interaction carrying its id logged by its owner (as
// KpiCreatedOpportunities matches them), at any time.
struct KpiFunnelRow {
  std::string id, outcome;
  Timestamp created = 0;
  std::optional<Timestamp> closed, qualified, quote, proposal, won, signed_at, first_response;
};
// An open next action.
struct ReviewNextAction {
  std::string interaction_id, owner, next_action, division, contact_id;
  Timestamp due = 0;
};
// The open next actions of one owner (next-action owner, else Logged By, as stored) due before a
// moment: how many, how many of them from a second moment on, the earliest due.
struct ReviewOverdueCount {
  std::string owner;
  int64_t overdue = 0, since = 0;
  Timestamp oldest_due = 0;
};
// Interactions logged by one person in one division.
struct ReviewLogCount {
  std::string logged_by, division;
  int64_t count = 0;
};

// A signed-in browser session of the HTTP API.

}  // namespace cx
