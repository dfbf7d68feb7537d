// KPI definitions of docs/kpi.md, their targets (data, with a direction) and periods.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace cx {

// How a value compares with its target to count as met.
enum class TargetDirection {
  kAbove,    // value > target
  kBelow,    // value < target
  kAtLeast,  // value >= target
  kAtMost,   // value <= target
};

// "above", "below", "at_least", "at_most" (also accepted: ">", "<", ">=", "<=").
Result<TargetDirection> ParseDirection(std::string_view text);
std::string_view DirectionName(TargetDirection d);
// ">", "<", "≥", "≤".
std::string_view DirectionSymbol(TargetDirection d);

// One KPI of the table of docs/kpi.md.
struct KpiDef {
  std::string key;   // "inquiry_to_quote"
  std::string name;  // "Inquiry-to-Quote Rate"
  std::string unit;  // ratio, points, hours, days, per_quarter, score
  std::vector<std::string>
      divisions;           // the divisions it is computed for; "All" included for the "all" rows
  std::string definition;  // the definition, as docs/kpi.md states it
};

// Every KPI of docs/kpi.md in table order.
const std::vector<KpiDef>& KpiDefs();
// The definition of `key`, or nullptr.
const KpiDef* FindKpi(std::string_view key);
// The division name used for the whole company.
inline constexpr std::string_view kAllDivisions = "All";

// A target: a threshold and a direction, for one KPI and one division ("" = every division).
struct KpiTarget {
  std::string key;
  std::string division;  // "" applies to every division without its own target
  double value = 0;
  TargetDirection direction = TargetDirection::kAbove;
};

// Parses a targets TOML document:
//   [targets.inquiry_to_quote]
//   value = 0.60
//   direction = "above"
//   [targets.nps."Motors"]      # optional per-division override table
//   value = 30
//   direction = "at_least"
// A KPI without a target (nps, complaint_rate by default) has none ("set by management").
// Errors: kInvalid naming `source`, the KPI and the field for every bad entry.
Result<std::vector<KpiTarget>> ParseTargets(std::string_view toml_text, const std::string& source);
// The targets shipped in config/kpi_targets.toml (embedded). Errors: kInternal when missing or bad.
Result<std::vector<KpiTarget>> DefaultTargets();
// The target for (key, division): an exact division match first, then the "" one.
std::optional<KpiTarget> TargetFor(const std::vector<KpiTarget>& targets, std::string_view key,
                                   std::string_view division);
// Whether `value` meets `t`.
bool TargetMet(const KpiTarget& t, double value);

// A period of whole days [from, to] in the hub's zone.
struct Period {
  Date from, to;
};

// The instants [begin, end) of a period in `zone`: from 00:00 to (to + 1 day) 00:00.
struct PeriodBounds {
  Timestamp begin = 0, end = 0;
};
PeriodBounds BoundsOf(const Period& p, const Zone& zone);
// Number of days in the period (to − from + 1).
int64_t PeriodDays(const Period& p);
// Number of calendar quarters the period touches (1 for a period inside one quarter).
int QuartersTouched(const Period& p);
// The same period one year earlier (29 Feb becomes 28 Feb).
Period YearEarlier(const Period& p);
// The n periods before `p` (most recent first): previous calendar quarters when p is a whole
// quarter, previous months when a whole month, else periods of the same length ending the day
// before `p` starts.
std::vector<Period> PreviousPeriods(const Period& p, int n);
// The calendar quarter containing `d`.
Period QuarterOf(Date d);
// "2026-W05" → Monday..Sunday of ISO week 5 of 2026. Errors: kInvalid naming the text.
Result<Period> ParseIsoWeek(std::string_view text);
// The ISO week containing `d`, as "YYYY-Www".
std::string IsoWeekName(Date d);
// Monday..Sunday of the ISO week containing `d`.
Period IsoWeekOf(Date d);
// Errors: kInvalid when to < from.
Status ValidatePeriod(const Period& p);
// A value for people: "62.5 %" (ratio), "+12" (points), "3.3 h", "45.2 d", "2.00 / quarter",
// "4.60"; "—" for a missing value.
std::string FormatKpiValue(std::optional<double> v, std::string_view unit);
// "2026-01-01 – 2026-03-31".
std::string PeriodLabel(const Period& p);

}  // namespace cx
