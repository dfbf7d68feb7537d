// NPS, CSAT and the touchpoint ranking (docs/feedback.md).
#include "domain/feedback_measures.h"

#include <algorithm>
#include <tuple>

namespace cx {

std::optional<double> NpsOf(const ScoreTally& t) {
  if (t.n == 0) return std::nullopt;
  return 100.0 * double(t.promoters - t.detractors) / double(t.n);
}

std::optional<double> CsatOf(const ScoreTally& t) {
  if (t.n == 0) return std::nullopt;
  return double(t.satisfied) / double(t.n);
}

std::optional<double> MeanOf(const ScoreTally& t) {
  if (t.n == 0) return std::nullopt;
  return t.sum / double(t.n);
}

double PeriodYearShare(int64_t from_day, int64_t to_day) {
  return double(to_day - from_day + 1) / 365.0;
}

void RankTouchpoints(std::vector<TouchpointScore>* rows, double year_share) {
  for (auto& r : *rows) {
    r.budget = r.yearly_budget * year_share;
    r.won_amount_per_naira.reset();
    r.cost_per_lead.reset();
    if (r.budget > 0) r.won_amount_per_naira = r.won_amount / r.budget;
    if (r.leads > 0) r.cost_per_lead = r.budget / double(r.leads);
  }
  // A missing value sorts after every present one.
  auto key = [](const std::optional<double>& v) {
    return std::make_tuple(v.has_value() ? 0 : 1, v.has_value() ? -*v : 0.0);
  };
  std::sort(rows->begin(), rows->end(), [&](const TouchpointScore& a, const TouchpointScore& b) {
    auto ka = std::tuple_cat(key(a.won_amount_per_naira), key(a.nps));
    auto kb = std::tuple_cat(key(b.won_amount_per_naira), key(b.nps));
    if (ka != kb) return ka < kb;
    return a.id < b.id;
  });
  int invested = 0;
  for (auto& r : *rows) {
    r.verdict.clear();
    if (invested < 3 && r.won_amount_per_naira && *r.won_amount_per_naira > 0) {
      r.verdict = "invest";
      ++invested;
    } else if (r.budget > 0 && r.won == 0) {
      r.verdict = "cut-or-fix";
    }
  }
}

}  // namespace cx
