// The weekly CX review pack (PRODUCT.md §8): every section's figures for one ISO week, ready to
// render.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "service/dedupe.h"
#include "service/kpi_service.h"
#include "service/sla_service.h"

namespace cx {

// SLA clocks as the SLA service computes them (ComputeSla of service/sla_service.h).
using SlaProviderFn = std::function<Result<SlaItems>(const Context&, const SlaQuery&)>;

// What the ERP side knows: the steward's queue of proposed links and when each file kind was last
// synced.
struct ErpStatus {
  std::optional<int64_t> steward_queue;  // proposed links waiting for a steward
  std::optional<Timestamp> customers_synced, orders_synced;
};
// Reads the ERP status; returns kNotFound when the ERP side is not available in this build.
using ErpStatusFn = std::function<Result<ErpStatus>(const Context&)>;

// The ERP status as this hub records it: open items of the steward's ERP queue and
// the last applied sync of each file kind.
Result<ErpStatus> ErpStatusFromHub(const Context& ctx);

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

struct ReviewPack {
  Period week;
  std::string week_name;  // "2026-W05"
  Timestamp as_of = 0;    // the end of the week, or now when the week is not over
  Timestamp generated_at = 0;

  Scorecard scorecard;  // the week's KPIs with `trend` previous weeks

  bool sla_available = false;
  std::string sla_note;
  SlaItems sla_items;  // breached and at-risk at as_of, worst first

  std::vector<KpiCaseRow> open_quality_flags;  // open at as_of, oldest first
  std::vector<ReviewNextAction> overdue;       // due before as_of and not done, by owner then due
  std::vector<KpiOpportunityRow> new_leads;   // created in the week (first_response = by the owner)
  int64_t unrouted = 0;                       // of new_leads: without owner
  std::vector<KpiOpportunityRow> won, lost;   // closed in the week
  std::vector<AuditEntry> ownership_changes;  // account owner changes in the week

  std::vector<AdoptionRow> adoption;  // by person, then division
  std::vector<std::string>
      silent_users;  // sales/service/steward users who logged nothing this week
  int64_t interactions_this_week = 0, interactions_last_week = 0;

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

// Builds the pack. Reads only. Errors: kInvalid when the period is not a Monday..Sunday week;
// kInternal.
Result<ReviewPack> BuildReview(const Context& ctx, const ReviewQuery& q);

// Records the hours stewards spent cleaning data in a week (for the health section). Stewards,
// managers and admins may. Errors: kInvalid (negative hours), kForbidden.
Status RecordStewardHours(const Context& ctx, const std::string& week_name, double hours);

}  // namespace cx
