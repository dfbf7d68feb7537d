// The voice of the customer in the weekly review pack (docs/kpi.md, "Voice of the customer"):
// NPS and the emotion curve per division, the touchpoint ranking with its verdicts and the
// customer strategy's key results, each read through the service that computes it for the
// command line (feedback scores, feedback curve, touchpoints, strategy show), never recomputed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/strategy.h"
#include "service/feedback_report.h"

namespace cx {

struct ReviewVoice {
  Period week;     // Monday..Sunday
  Period quarter;  // the quarter of the week's Sunday, from its first day to that Sunday

  // NPS and CSAT of the week by division (= feedback scores --by division for the week); a
  // division without nps or csat feedback has no group.
  FeedbackScores scores;
  // The company: every group of `scores` together (key "All").
  FeedbackGroupScores total;
  // The group of `division` in `scores`, or nullptr when it had no nps or csat feedback.
  const FeedbackGroupScores* ScoresOf(const std::string& division) const;

  // The emotion curve of every division with a journey, in the order of Divisions(): the week
  // (= feedback curve --division D --from MON --to SUN) and the quarter to date.
  std::vector<EmotionCurve> curves, quarter_curves;

  // The touchpoint ranking of the week (= touchpoints --from MON --to SUN).
  TouchpointRanking ranking;

  // The latest strategy version (as `strategy show`), its key results read for `quarter`;
  // nullopt when none is saved (`strategy_note` says so).
  std::optional<StrategyPage> strategy;
  std::string strategy_note;
};

// Gathers the voice of the customer for `week` (facts after its Sunday are left out, as the
// measures' period rules do). Reads only. Errors: those of the services it reads.
Result<ReviewVoice> BuildReviewVoice(const Context& ctx, const Period& week);

}  // namespace cx
