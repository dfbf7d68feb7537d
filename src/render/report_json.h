// The JSON documents of the hub's reports, made once for both doors: the command line's
// `--json` output (`kpi`, `kpi target list`, `sla`, `next-action list`, `duplicates`) and the
// API's GET /api/v1/kpi, /kpi/targets, /sla, /next-actions, /duplicates answer these same
// documents for the same options.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "service/context.h"
#include "service/erp_sync.h"
#include "service/workbook_import.h"

namespace cx {

// The options of `kpi` (text as typed: dates YYYY-MM-DD, empty when not given).
struct KpiReportOptions {
  std::string division, from, to;
  int trend = 4;
  int ids = 200;
  std::string prefix;  // said before an option's name in an error: "--" on the command line
};
// {"from", "to", "kpis": [...]}. Errors: kInvalid naming the option ("from: …"), those of
// ComputeKpis.
Result<nlohmann::json> KpiReport(const Context& ctx, const KpiReportOptions& o);
// {"targets": [{key, division, value, direction}…]}, the targets in force.
Result<nlohmann::json> KpiTargetsReport(const Context& ctx);

// The options of `sla`.
struct SlaReportOptions {
  std::string division, owner, at;  // at: a time as typed, empty for now
  bool all = false;                 // every clock, not only breached and at-risk
  bool open = false;                // only the clocks still running (implies all)
  std::string prefix;
};
// {"at", "items": [...]}, worst first. Errors: kInvalid naming the option ("at: …").
Result<nlohmann::json> SlaReport(const Context& ctx, const SlaReportOptions& o);

// The options of `next-action list`.
struct NextActionReportOptions {
  std::string owner, at;
  bool overdue = false;
  std::string prefix;
};
// {"next_actions": [...]}, earliest due first.
Result<nlohmann::json> NextActionReport(const Context& ctx, const NextActionReportOptions& o);

// {"accounts": [{ids, score, why}…], "contacts": [...]}; `kind` "accounts", "contacts" or
// "all" (the other list is then empty). Errors: kInvalid for another kind.
Result<nlohmann::json> DuplicatesReport(const Context& ctx, const std::string& kind);

// {"users": [{login, name, role, division, away, disabled}…]} (`user list --json`,
// GET /api/v1/users).
Result<nlohmann::json> UsersReport(const Context& ctx);

// The summary of an ERP sync (`erp-sync --json`, POST /api/v1/erp-syncs).
nlohmann::json ErpSyncJson(const ErpSyncSummary& s, const Zone& z);
// One item of the steward's ERP queue (`links list --json`, GET /api/v1/links).
nlohmann::json ErpQueueItemJson(const ErpQueueItem& q, const Zone& z);
// The summary of a workbook import (`import-workbook --json`, POST /api/v1/workbook/import).
nlohmann::json ImportSummaryJson(const ImportSummary& s);

}  // namespace cx
