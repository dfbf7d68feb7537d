// KPI definitions, target parsing and period arithmetic.
#include "domain/kpi.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>

#include "base/embedded.h"
#include "domain/division.h"

namespace cx {

Result<TargetDirection> ParseDirection(std::string_view text) {
  std::string t;
  for (char c : text) {
    if (c == ' ' || c == '-') c = '_';
    t += char(std::tolower(static_cast<unsigned char>(c)));
  }
  if (t == "above" || t == ">" || t == "gt") return TargetDirection::kAbove;
  if (t == "below" || t == "<" || t == "lt") return TargetDirection::kBelow;
  if (t == "at_least" || t == ">=" || t == "≥" || t == "ge") return TargetDirection::kAtLeast;
  if (t == "at_most" || t == "<=" || t == "≤" || t == "le") return TargetDirection::kAtMost;
  return Invalid("direction: '" + std::string(text) +
                 "' is not one of above, below, at_least, at_most");
}

std::string_view DirectionName(TargetDirection d) {
  switch (d) {
    case TargetDirection::kAbove:
      return "above";
    case TargetDirection::kBelow:
      return "below";
    case TargetDirection::kAtLeast:
      return "at_least";
    case TargetDirection::kAtMost:
      return "at_most";
  }
  return "above";
}

std::string_view DirectionSymbol(TargetDirection d) {
  switch (d) {
    case TargetDirection::kAbove:
      return ">";
    case TargetDirection::kBelow:
      return "<";
    case TargetDirection::kAtLeast:
      return "≥";
    case TargetDirection::kAtMost:
      return "≤";
  }
  return ">";
}

const std::vector<KpiDef>& KpiDefs() {
  static const std::vector<KpiDef> defs = [] {
    std::vector<std::string> all;
    for (auto d : Divisions()) all.emplace_back(d);
    all.emplace_back(kAllDivisions);
    return std::vector<KpiDef>{
        {"inquiry_to_quote",
         "Inquiry-to-Quote Rate",
         "ratio",
         {"Motors"},
         "opportunities that entered Qualified in the period and entered Quote by `to` / "
         "opportunities that "
         "entered Qualified in the period"},
        {"quote_to_purchase",
         "Quote-to-Purchase Rate",
         "ratio",
         {"Motors"},
         "opportunities that entered Quote in the period and were won by `to` / those that entered "
         "Quote in the "
         "period"},
        {"first_contact_resolution",
         "First-Contact Resolution Rate",
         "ratio",
         {"Motors"},
         "after-sales cases closed in the period with exactly one interaction carrying their Case "
         "ID (of any date "
         "up to `to`) / after-sales cases closed in the period"},
        {"lead_response_hours",
         "Lead Response Time",
         "hours",
         {"Power & Industrial"},
         "mean business hours from opportunity Created (in the period) to the first interaction "
         "carrying its "
         "Opportunity ID logged by its Owner; leads without one are counted apart as unanswered"},
        {"proposal_win_rate",
         "Proposal Win Rate",
         "ratio",
         {"Power & Industrial"},
         "opportunities closed in the period that had entered Proposal and were won / those closed "
         "in the period "
         "that had entered Proposal"},
        {"sales_cycle_days",
         "Average Sales Cycle Length",
         "days",
         {"Power & Industrial"},
         "mean of (Closed - entered Qualified) in fractional days, over opportunities won (Closed "
         "in the period)"},
        {"distributor_acquisition",
         "New Distributor Acquisition Rate",
         "per_quarter",
         {"Medical"},
         "opportunities that entered Signed in the period / number of calendar quarters the period "
         "touches"},
        {"avg_order_volume_yoy",
         "Average Order Volume",
         "ratio",
         {"Medical"},
         "mean Amount of Medical orders in the period / the same for the period one year earlier - "
         "1"},
        {"quality_flag_hours",
         "Time-to-Resolve Quality Flags",
         "hours",
         {"Medical"},
         "mean clock hours from Opened to Resolution Confirmed, over quality-flag cases confirmed "
         "in the period"},
        {"avg_spend_yoy",
         "Average Spend Per Customer",
         "ratio",
         {"GRAS", "Cube 65"},
         "mean Amount per order (one order = one visit) in the period / the same one year earlier "
         "- 1"},
        {"repeat_customer_rate",
         "Repeat Customer Rate",
         "ratio",
         {"GRAS", "Cube 65"},
         "returning customers / customers with an order of the division in the period; returning "
         "when one of "
         "their orders in the period has an earlier order of the division at most 183 days before "
         "it"},
        {"review_score",
         "Online Review Score",
         "score",
         {"GRAS", "Cube 65"},
         "mean Score of review feedback in the period"},
        {"nps", "Net Promoter Score", "points", all,
         "% of nps scores 9-10 - % of scores 0-6, in the period"},
        {"complaint_rate", "Complaint rate", "ratio", all,
         "complaint cases opened in the period / accounts with an interaction or order in the "
         "period"},
        {"newsletter_signups",
         "Newsletter sign-ups",
         "count",
         {std::string(kAllDivisions)},
         "contacts whose newsletter subscription date is in the period"},
    };
  }();
  return defs;
}

const KpiDef* FindKpi(std::string_view key) {
  for (const auto& d : KpiDefs()) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

namespace {

Status ReadTarget(const toml::table& t, const std::string& where, KpiTarget* out) {
  Status st = Invalid(where + ": bad target");
  bool bad = false;
  auto v = t["value"];
  if (auto d = v.value<double>()) {
    out->value = *d;
  } else {
    st.AddDetail(where + ": value: a number is required");
    bad = true;
  }
  auto dir = t["direction"].value<std::string>();
  if (!dir) {
    st.AddDetail(where + ": direction: one of above, below, at_least, at_most is required");
    bad = true;
  } else {
    auto d = ParseDirection(*dir);
    if (!d.ok()) {
      st.AddDetail(where + ": " + d.status().message());
      bad = true;
    } else {
      out->direction = *d;
    }
  }
  return bad ? st : Status::Ok();
}

}  // namespace

Result<std::vector<KpiTarget>> ParseTargets(std::string_view toml_text, const std::string& source) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    return Invalid(source + ": line " + std::to_string(e.source().begin.line) + ": " +
                   std::string(e.description()));
  }
  std::vector<KpiTarget> out;
  Status errors = Invalid(source + ": bad KPI targets");
  bool bad = false;
  const toml::table* targets = doc["targets"].as_table();
  if (!targets) return out;
  for (const auto& [k, node] : *targets) {
    std::string key(k.str());
    std::string where = source + ": targets." + key;
    if (!FindKpi(key)) {
      errors.AddDetail(where + ": unknown KPI key");
      bad = true;
      continue;
    }
    const toml::table* t = node.as_table();
    if (!t) {
      errors.AddDetail(where + ": must be a table with value and direction");
      bad = true;
      continue;
    }
    if (t->contains("value") || t->contains("direction")) {
      KpiTarget kt;
      kt.key = key;
      Status st = ReadTarget(*t, where, &kt);
      if (!st.ok()) {
        for (const auto& d : st.details()) errors.AddDetail(d);
        bad = true;
      } else {
        out.push_back(kt);
      }
    }
    for (const auto& [dk, dnode] : *t) {
      std::string dname(dk.str());
      if (dname == "value" || dname == "direction") continue;
      const toml::table* dt = dnode.as_table();
      std::string dwhere = where + "." + dname;
      std::string div = dname;
      if (dname != kAllDivisions) {
        auto c = CanonicalDivision(dname);
        if (!c) {
          errors.AddDetail(dwhere + ": unknown division");
          bad = true;
          continue;
        }
        div = *c;
      }
      if (!dt) {
        errors.AddDetail(dwhere + ": must be a table with value and direction");
        bad = true;
        continue;
      }
      KpiTarget kt;
      kt.key = key;
      kt.division = div;
      Status st = ReadTarget(*dt, dwhere, &kt);
      if (!st.ok()) {
        for (const auto& d : st.details()) errors.AddDetail(d);
        bad = true;
      } else {
        out.push_back(kt);
      }
    }
  }
  if (bad) return errors;
  return out;
}

Result<std::vector<KpiTarget>> DefaultTargets() {
  auto text = FindEmbedded("config/kpi_targets.toml");
  if (!text) return Internal("config/kpi_targets.toml is not embedded in this binary");
  auto r = ParseTargets(*text, "config/kpi_targets.toml");
  if (!r.ok()) return Internal(r.status().ToString());
  return r;
}

std::optional<KpiTarget> TargetFor(const std::vector<KpiTarget>& targets, std::string_view key,
                                   std::string_view division) {
  std::optional<KpiTarget> general;
  for (const auto& t : targets) {
    if (t.key != key) continue;
    if (t.division == division) return t;
    if (t.division.empty()) general = t;
  }
  return general;
}

bool TargetMet(const KpiTarget& t, double value) {
  switch (t.direction) {
    case TargetDirection::kAbove:
      return value > t.value;
    case TargetDirection::kBelow:
      return value < t.value;
    case TargetDirection::kAtLeast:
      return value >= t.value;
    case TargetDirection::kAtMost:
      return value <= t.value;
  }
  return false;
}

PeriodBounds BoundsOf(const Period& p, const Zone& zone) {
  PeriodBounds b;
  b.begin = zone.ToUtc(p.from, 0);
  b.end = zone.ToUtc(CivilFromDays(DaysFromCivil(p.to) + 1), 0);
  return b;
}

int64_t PeriodDays(const Period& p) { return DaysFromCivil(p.to) - DaysFromCivil(p.from) + 1; }

int QuartersTouched(const Period& p) {
  int a = p.from.year * 4 + (p.from.month - 1) / 3;
  int b = p.to.year * 4 + (p.to.month - 1) / 3;
  return std::max(1, b - a + 1);
}

namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}
Date AddYears(Date d, int n) {
  d.year += n;
  d.day = std::min(d.day, DaysInMonth(d.year, d.month));
  return d;
}
Date AddMonthsFirst(Date d, int n) {  // first day of the month n months later
  int m = d.year * 12 + (d.month - 1) + n;
  return Date{m / 12, m % 12 + 1, 1};
}
Date LastOfMonth(Date d) { return Date{d.year, d.month, DaysInMonth(d.year, d.month)}; }

}  // namespace

Period YearEarlier(const Period& p) { return Period{AddYears(p.from, -1), AddYears(p.to, -1)}; }

Period QuarterOf(Date d) {
  Date from{d.year, (d.month - 1) / 3 * 3 + 1, 1};
  return Period{from, LastOfMonth(AddMonthsFirst(from, 2))};
}

std::vector<Period> PreviousPeriods(const Period& p, int n) {
  std::vector<Period> out;
  bool month = p.from.day == 1 && p.to == LastOfMonth(p.from);
  Period q = QuarterOf(p.from);
  bool quarter = q.from == p.from && q.to == p.to;
  Period cur = p;
  for (int i = 0; i < n; ++i) {
    if (quarter || month) {
      Date from = AddMonthsFirst(cur.from, quarter ? -3 : -1);
      cur = Period{from, LastOfMonth(AddMonthsFirst(from, quarter ? 2 : 0))};
    } else {
      int64_t len = PeriodDays(cur);
      int64_t end = DaysFromCivil(cur.from) - 1;
      cur = Period{CivilFromDays(end - len + 1), CivilFromDays(end)};
    }
    out.push_back(cur);
  }
  return out;
}

Period IsoWeekOf(Date d) {
  int64_t days = DaysFromCivil(d) - (IsoWeekday(d) - 1);
  return Period{CivilFromDays(days), CivilFromDays(days + 6)};
}

std::string IsoWeekName(Date d) {
  Date thursday = CivilFromDays(DaysFromCivil(d) - IsoWeekday(d) + 4);
  int64_t jan1 = DaysFromCivil(Date{thursday.year, 1, 1});
  int week = int((DaysFromCivil(thursday) - jan1) / 7 + 1);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", thursday.year, week);
  return buf;
}

Result<Period> ParseIsoWeek(std::string_view text) {
  int y = 0, w = 0;
  char extra = 0;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-W%2d%c", &y, &w, &extra) != 2 || y < 1900 || w < 1 || w > 53) {
    return Invalid("week: '" + s + "' is not an ISO week like 2026-W05");
  }
  // Week 1 holds 4 January.
  Date jan4{y, 1, 4};
  int64_t monday1 = DaysFromCivil(jan4) - (IsoWeekday(jan4) - 1);
  int64_t monday = monday1 + int64_t(w - 1) * 7;
  Period p{CivilFromDays(monday), CivilFromDays(monday + 6)};
  if (IsoWeekName(p.from) != s)
    return Invalid("week: " + s + " does not exist (the year has fewer weeks)");
  return p;
}

Status ValidatePeriod(const Period& p) {
  if (p.to < p.from)
    return Invalid("period: --to " + FormatDate(p.to) + " is before --from " + FormatDate(p.from));
  return Status::Ok();
}

std::string FormatKpiValue(std::optional<double> v, std::string_view unit) {
  if (!v) return "—";
  char buf[64];
  if (unit == "ratio") {
    std::snprintf(buf, sizeof buf, "%.1f %%", *v * 100);
  } else if (unit == "points") {
    std::snprintf(buf, sizeof buf, "%+.1f", *v);
  } else if (unit == "hours") {
    std::snprintf(buf, sizeof buf, "%.1f h", *v);
  } else if (unit == "days") {
    std::snprintf(buf, sizeof buf, "%.1f d", *v);
  } else if (unit == "per_quarter") {
    std::snprintf(buf, sizeof buf, "%.2f / quarter", *v);
  } else if (unit == "count") {
    std::snprintf(buf, sizeof buf, "%.0f", *v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", *v);
  }
  return buf;
}

std::string PeriodLabel(const Period& p) { return FormatDate(p.from) + " – " + FormatDate(p.to); }

}  // namespace cx
