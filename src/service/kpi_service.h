// The KPI engine (docs/kpi.md): every KPI for a period, per division and for All, against
// targets.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/kpi.h"
#include "service/context.h"

namespace cx {

// Business hours between two instants (0 when b <= a).
using BusinessHoursFn = std::function<double(Timestamp a, Timestamp b)>;

// One KPI's value for one period.
struct KpiTrendPoint {
  Period period;
  std::optional<double> value;
};

// One KPI of one division for one period, with what explains it.
struct KpiValue {
  std::string division;  // a division or "All"
  std::string key, name, unit;
  std::optional<double> value;  // nullopt when there is no data (see note)
  std::optional<KpiTarget> target;
  std::optional<bool> met;  // nullopt when value or target is missing
  double numerator = 0, denominator = 0;
  int64_t sample = 0;                   // records the value is computed over
  std::string note;                     // why the value is null, or what was left out
  std::map<std::string, double> extra;  // e.g. "unanswered", "previous_orders", "promoters"
  // Drill-down: the records behind the numerator and the denominator (up to KpiQuery::id_limit
  // each).
  std::vector<std::string> numerator_ids, denominator_ids;
  std::map<std::string, std::vector<std::string>> other_ids;  // e.g. "unanswered"
  bool ids_truncated = false;
  std::vector<KpiTrendPoint> trend;  // the previous periods, most recent first
  double millis = 0;                 // time spent computing it (for the hub's health report)
};

struct KpiQuery {
  Period period;
  std::string division;  // "" = every division and All; a division (any spelling) or "All"
  int trend = 4;         // number of previous periods to compute for the trend
  int id_limit = 200;    // drill-down ids kept per list
  BusinessHoursFn business_hours;  // default: DefaultBusinessHours()
};

struct Scorecard {
  Period period;
  std::vector<KpiValue> kpis;  // in the order of docs/kpi.md, each KPI for each of its divisions
};

// The period used when --from/--to are missing: the calendar quarter containing today, in the hub's
// zone (a missing --from is the start of the quarter of --to; a missing --to is the end of the
// quarter of --from).
Period DefaultKpiPeriod(const Context& ctx, std::optional<Date> from, std::optional<Date> to);

// Computes every KPI of the query. Reads only; facts after the period's end are ignored.
// Errors: kInvalid for an unknown division or a period whose end precedes its start; kInternal.
Result<Scorecard> ComputeKpis(const Context& ctx, const KpiQuery& q);

// The targets in force: the shipped config/kpi_targets.toml overlaid by those a manager stored.
Result<std::vector<KpiTarget>> EffectiveTargets(Tx& tx);

// Stores a target (key, division "" for every division / a division / "All"). Only a user with the
// role manager may (the bare "cli" actor may not: name the manager with --as). Audited. Errors:
// kInvalid (unknown key or division, rate not a fraction), kForbidden; nothing is written on error.
Status SetKpiTarget(const Context& ctx, KpiTarget t);

// Business hours of the hub's active business calendar (service/config_service.h: the admin's
// calendar.toml, else the shipped one). Errors: those of loading the configuration.
Result<BusinessHoursFn> DefaultBusinessHours();

}  // namespace cx
