// The measures of feedback and touchpoints (docs/feedback.md): NPS, CSAT, the emotion curve and
// the touchpoint ranking with its verdicts. Pure: the caller brings the counts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cx {

// The scores of one kind of feedback in one group, counted by the store.
struct ScoreTally {
  int64_t n = 0;
  double sum = 0;
  int64_t promoters = 0;   // nps 9–10
  int64_t detractors = 0;  // nps 0–6
  int64_t satisfied = 0;   // csat 4–5
};

// NPS in points (−100…+100): % of promoters − % of detractors; nullopt when n is 0.
std::optional<double> NpsOf(const ScoreTally& t);
// CSAT as a fraction: satisfied ÷ n; nullopt when n is 0.
std::optional<double> CsatOf(const ScoreTally& t);
// The mean score; nullopt when n is 0.
std::optional<double> MeanOf(const ScoreTally& t);

// One touchpoint's facts for a period, and what the ranking makes of them.
struct TouchpointScore {
  std::string id, name, division, stage;
  double yearly_budget = 0;
  double budget = 0;  // yearly budget × days ÷ 365
  int64_t responses = 0;
  std::optional<double> nps, mean_emotion;
  int64_t leads = 0, won = 0;
  double won_amount = 0;
  std::optional<double> won_amount_per_naira;  // nullopt when the budget is 0
  std::optional<double> cost_per_lead;         // nullopt without leads
  std::string verdict;                         // "invest", "cut-or-fix" or "" (none)
};

// The days of the period [from_day, to_day] (inclusive) as a share of a 365-day year.
double PeriodYearShare(int64_t from_day, int64_t to_day);

// Fills budget, won_amount_per_naira and cost_per_lead of each from its other facts and
// `year_share`, sorts by won_amount_per_naira (highest first, none last), then nps (highest
// first, none last), then id, and gives the verdicts: "invest" to the first three whose
// won_amount_per_naira is above 0, "cut-or-fix" to one with a budget above 0 and no won lead.
void RankTouchpoints(std::vector<TouchpointScore>* rows, double year_share);

}  // namespace cx
