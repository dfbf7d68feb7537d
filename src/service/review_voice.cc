// The voice of the customer for the weekly pack: the feedback measures of the week and the
// strategy's key results for the quarter to date, as the command line computes them.
#include "service/review_voice.h"

#include "domain/division.h"
#include "service/config_service.h"
#include "service/kpi_service.h"
#include "service/strategy_service.h"

namespace cx {

const FeedbackGroupScores* ReviewVoice::ScoresOf(const std::string& division) const {
  for (const auto& g : scores.groups) {
    if (g.key == division) return &g;
  }
  return nullptr;
}

Result<ReviewVoice> BuildReviewVoice(const Context& ctx, const Period& week) {
  ReviewVoice v;
  v.week = week;
  // Key results are quarterly goals: read for the quarter up to the week's Sunday, the period
  // `kpi --to SUNDAY` gives (a week that starts in one quarter and ends in the next reads the
  // new one).
  v.quarter = DefaultKpiPeriod(ctx, std::nullopt, week.to);

  CX_ASSIGN_OR_RETURN(v.scores, ComputeFeedbackScores(ctx, week, FeedbackGroup::kDivision, ""));
  ScoreTally nps, csat;
  for (const auto& g : v.scores.groups) {
    nps.n += g.nps_n;
    nps.promoters += g.promoters;
    nps.detractors += g.detractors;
    csat.n += g.csat_n;
    csat.satisfied += g.satisfied;
  }
  v.total.key = std::string(kAllDivisions);
  v.total.nps = NpsOf(nps);
  v.total.nps_n = nps.n;
  v.total.promoters = nps.promoters;
  v.total.detractors = nps.detractors;
  v.total.csat = CsatOf(csat);
  v.total.csat_n = csat.n;
  v.total.satisfied = csat.satisfied;

  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  for (auto d : Divisions()) {
    if (!cfg->journeys.Find(d)) continue;
    CX_ASSIGN_OR_RETURN(auto week_curve, ComputeEmotionCurve(ctx, std::string(d), week));
    CX_ASSIGN_OR_RETURN(auto quarter_curve, ComputeEmotionCurve(ctx, std::string(d), v.quarter));
    v.curves.push_back(std::move(week_curve));
    v.quarter_curves.push_back(std::move(quarter_curve));
  }

  CX_ASSIGN_OR_RETURN(v.ranking, ComputeTouchpointRanking(ctx, week, ""));

  // The latest version, as `strategy show` gives it: the goals are the ones the meeting works
  // towards now, read against the quarter as it stood at the week's end.
  auto page = ShowStrategy(ctx, 0, v.quarter);
  if (page.ok()) {
    v.strategy = std::move(*page);
  } else if (page.status().code() == Code::kNotFound) {
    v.strategy_note = "No customer strategy saved yet (cxhub strategy set).";
  } else {
    return page.status();
  }
  return v;
}

}  // namespace cx
