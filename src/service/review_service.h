// The weekly CX review pack (docs/kpi.md): every section's figures for one ISO week, ready to
// render.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/golive.h"
#include "service/dedupe.h"
#include "service/kpi_service.h"
#include "service/review_voice.h"
#include "service/sla_service.h"

namespace cx {

// SLA clocks as the SLA service computes them (ComputeSla of service/sla_service.h).
using SlaProviderFn = std::function<Result<SlaItems>(const Context&, const SlaQuery&)>;

// What the ERP side knew at a moment: the steward's queue of proposed links and when each file
// kind was last synced.
struct ErpStatus {
  std::optional<int64_t> steward_queue;  // proposed links waiting for a steward
  std::optional<Timestamp> customers_synced, orders_synced;
};
// Reads the ERP status as it stood at `as_of` (nothing later may show: a pack of October must not
// show a December sync); returns kNotFound when the ERP side is not available in this build.
using ErpStatusFn = std::function<Result<ErpStatus>(const Context&, Timestamp as_of)>;

// The ERP status as this hub records it at `as_of`: the items of the steward's ERP queue created
// by then and not yet decided by then, and the last sync of each file kind finished by then.
Result<ErpStatus> ErpStatusFromHub(const Context& ctx, Timestamp as_of);

struct ReviewQuery {
  Period week;           // Monday..Sunday
  int trend = 4;         // previous weeks in the scorecard trend
  int list_limit = 500;  // most rows per list section
  SlaProviderFn sla;     // default: ComputeSla (service/sla_service.h)
  ErpStatusFn erp;       // default: ErpStatusFromHub
};

// Interactions logged by one person in one division, this week and the week before.
struct AdoptionRow {
  std::string person, division;
  int64_t this_week = 0, last_week = 0;
};

// The overdue next actions of one person (next-action owner, else Logged By) at the week's end.
struct OverdueCount {
  std::string person;
  int64_t overdue = 0;             // due before as_of and not done
  int64_t fell_due_this_week = 0;  // of those, due in the week
  Timestamp oldest_due = 0;
};

// One of the seed's scalability triggers (Risk 4) and where the hub stands.
struct HealthTrigger {
  std::string name;             // "Database larger than 100 MB"
  std::string measured;         // "12.3 MB", "not recorded"
  std::optional<bool> tripped;  // nullopt when not measured
};

// One timed piece of the pack (a KPI or a section query).
struct TimedQuery {
  std::string name;
  double millis = 0;
};

// A record's name and the customer (account) it belongs to.
struct NamedRecord {
  std::string name;        // contact full name, opportunity title, case summary
  std::string account_id;  // "" when it has none
};

// The names a meeting reads beside the IDs the pack shows (docs/kpi.md: every record is
// named). Only the records the pack lists are looked up.
struct RecordNames {
  std::map<std::string, std::string> accounts;  // account id → Company Name
  std::map<std::string, NamedRecord> contacts, opportunities, cases;

  // The Company Name of an account id; "" when unknown.
  std::string Account(const std::string& id) const;
  // The record's own name; "" when unknown.
  std::string Contact(const std::string& id) const;
  std::string Opportunity(const std::string& id) const;
  std::string Case(const std::string& id) const;
  // The Company Name of the account the contact / opportunity / case belongs to; "" when none.
  std::string CustomerOfContact(const std::string& id) const;
  std::string CustomerOfOpportunity(const std::string& id) const;
  std::string CustomerOfCase(const std::string& id) const;
};

struct ReviewPack {
  Period week;
  std::string week_name;  // "2026-W05"
  Timestamp as_of = 0;    // the end of the week, or now when the week is not over
  bool week_over = true;  // false: the week is in progress and as_of is now
  Timestamp generated_at = 0;
  RecordNames names;

  Scorecard scorecard;  // the week's KPIs with `trend` previous weeks

  bool sla_available = false;
  std::string sla_note;
  // The clocks the meeting must see (not every breach ever): first those still running at as_of
  // that are breached or at risk, worst first; then those that breached during the week (due in
  // the week) and have stopped by as_of. At most list_limit rows (the cut drops the oldest breaches
  // first, never one at risk or of the week); sla_total counts them all.
  SlaItems sla_items;
  int64_t sla_open = 0;   // of sla_total: running at as_of
  int64_t sla_total = 0;  // before the list_limit cut

  std::vector<KpiCaseRow>
      open_quality_flags;  // open at as_of, oldest first (facts after as_of unset)
  // Overdue next actions (due before as_of and not done): up to list_limit of them, those that fell
  // due in the week first, then the oldest; listed by owner, then due. The counts are of all.
  std::vector<ReviewNextAction> overdue;
  std::vector<OverdueCount> overdue_by_person;  // by person (ignoring case)
  int64_t overdue_total = 0;
  std::vector<KpiOpportunityRow> new_leads;   // created in the week (first_response = by the owner)
  int64_t unrouted = 0;                       // of new_leads: without owner
  std::vector<KpiOpportunityRow> won, lost;   // closed in the week
  std::vector<AuditEntry> ownership_changes;  // account owner changes in the week

  std::vector<AdoptionRow> adoption;  // by person, then division
  std::vector<std::string>
      silent_users;  // sales/service/steward users who logged nothing this week
  int64_t interactions_this_week = 0, interactions_last_week = 0;
  // Staff feedback on the hub itself (kind hub): this week's, newest first (at most
  // list_limit listed), how many this week and the week before, and this week's mean score (1–5).
  std::vector<HubFeedback> hub_feedback;
  int64_t hub_feedback_this_week = 0, hub_feedback_last_week = 0;
  std::optional<double> hub_feedback_mean;

  ReviewVoice voice;  // the voice of the customer (service/review_voice.h)

  std::vector<Cluster> duplicate_accounts, duplicate_contacts;
  int64_t accounts_missing_erp = 0;
  std::vector<std::string> accounts_missing_erp_ids;  // up to list_limit
  bool erp_available = false;
  std::string erp_note;
  ErpStatus erp;

  int64_t db_bytes = 0;
  std::optional<double> steward_hours;  // recorded for the week (setting "steward_hours:YYYY-Www")
  std::vector<TimedQuery> slowest;      // slowest first, top 10
  std::vector<HealthTrigger> triggers;
  int tripped = 0;
  std::string health_verdict;
};

// The Monday..Sunday week containing today in the hub's zone.
Period DefaultReviewWeek(const Context& ctx);

// Builds the pack as known at the week's end (or now, for the week in progress). Reads only.
// Errors: kInvalid when the period is not a Monday..Sunday week, or when the week has not begun
// (the message names the week and the day it starts); kInternal.
Result<ReviewPack> BuildReview(const Context& ctx, const ReviewQuery& q);

// Records the hours stewards spent cleaning data in a week (for the health section). Stewards,
// managers and admins may. Errors: kInvalid (negative hours), kForbidden.
Status RecordStewardHours(const Context& ctx, const std::string& week_name, double hours);

}  // namespace cx
