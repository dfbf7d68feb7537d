// The one-page customer strategy (docs/strategy.md): its parts, its key results tied to KPIs,
// and the TOML file a manager writes it in. Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/kpi.h"

namespace cx {

// Text for the 1-, 3- and 5-year columns of the template.
struct Horizons {
  std::string year1, year3, year5;
};

// One objective of the customer-experience strategy (the first is strategic alignment).
struct StrategyObjective {
  std::string title;
  Horizons horizons;
};

// A key result: a KPI of one division that must reach a target by a date.
struct KeyResult {
  std::string title;
  std::string kpi;                           // a key of docs/kpi.md (FindKpi)
  std::string division;                      // canonical division, or "All"
  std::optional<double> target;              // nullopt: the KPI's own target
  std::optional<TargetDirection> direction;  // nullopt: the KPI's own direction
  Date due;
};

// The template of seed 004, part by part.
struct Strategy {
  std::string mission, vision;
  Horizons growth, new_markets, new_customers;  // key objectives at 1, 3 and 5 years
  std::string ambition;                         // how we want to be perceived by customers
  std::vector<StrategyObjective> objectives;    // [0] is "Strategic alignment"
  std::vector<KeyResult> key_results;
  std::string communication, notes;
};

// A saved version: who saved it and when.
struct StrategyVersion {
  int64_t version = 0;
  Timestamp saved_at = 0;
  std::string saved_by;  // login
  Strategy strategy;
};

// A key result as the hub reads it now: the KPI's live value against the key result's target.
struct KeyResultStatus {
  KeyResult kr;
  std::string kpi_name, unit;
  std::optional<double> target;              // the key result's, else the KPI's own
  std::optional<TargetDirection> direction;  // likewise
  std::optional<double> value;               // nullopt when the KPI has no data
  std::optional<bool> met;                   // nullopt when value or target is missing
  std::string note;                          // why the value is missing
};

// What the strategy page shows: one saved version, with its key results read live for `period`.
struct StrategyPage {
  StrategyVersion saved;
  std::string saved_by_name;  // full name of saved_by
  Period period;              // the period the live values are computed for
  std::vector<KeyResultStatus> key_results;
};

// One saved strategy version as stored: the document is opaque text (JSON) to the store.
struct StoredStrategy {
  int64_t version = 0;
  Timestamp saved_at = 0;
  std::string saved_by, body;
};

// The title every strategy's first objective carries.
inline constexpr std::string_view kStrategicAlignment = "Strategic alignment";

// Limits that keep the strategy on one printed A4 page (the template is one page).
inline constexpr size_t kMaxObjectives = 5;
inline constexpr size_t kMaxKeyResults = 6;
inline constexpr size_t kMaxTitle = 80;       // an objective's or key result's title
inline constexpr size_t kMaxShortText = 120;  // one cell of a 1/3/5-year grid
inline constexpr size_t kMaxLongText = 300;   // mission, vision, ambition, communication, notes

// Parses a strategy file:
//   mission = "…"  vision = "…"  ambition = "…"  communication = "…"  notes = "…"
//   [key_objectives.growth]  year1 = "…"  year3 = "…"  year5 = "…"   (also new_markets,
//   new_customers)
//   [[objectives]]  title = "…"  year1 = "…"  year3 = "…"  year5 = "…"
//   [[key_results]] title = "…"  kpi = "nps"  division = "Motors"  target = 40
//                   direction = "at_least"  due = "2027-12-31"
// The first objective is "Strategic alignment": when the file has none of that title one is put
// first (its intentions empty), when it has one elsewhere it is moved first. Checks every key
// (unknown ones too), the KPI keys and divisions (the KPI must be computed for that division),
// the dates and the lengths. Errors: kInvalid with one detail per problem, each
// "SOURCE:LINE: key: what is wrong"; syntax errors as "SOURCE:LINE:COLUMN: …".
Result<Strategy> ParseStrategy(std::string_view toml_text, const std::string& source);

}  // namespace cx
