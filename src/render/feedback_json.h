// JSON shapes of touchpoints and the feedback measures (docs/feedback.md), shared by the command
// line's --json output and the HTTP API.
#pragma once

#include <nlohmann/json.hpp>

#include "service/feedback_report.h"

namespace cx {

// {"id", "name", "division", "stage", "channel", "owner", "yearly_budget"}
nlohmann::json ToJson(const Touchpoint& t);
// {"from", "to", "touchpoints": [{"id", "name", "division", "stage", "budget", "responses", "nps",
// "mean_emotion", "leads", "won", "won_amount", "won_amount_per_naira", "cost_per_lead",
// "verdict"}…]} in rank order; a missing measure or verdict is null.
nlohmann::json ToJson(const TouchpointRanking& r);
// The options of `touchpoints` (text as typed: dates YYYY-MM-DD, empty when not given).
struct TouchpointsReportOptions {
  std::string from, to, division;
  std::string prefix = "--";  // said before an option's name in an error: "" for a query
};
// The ranking's document (above) for the options: `touchpoints --json` and GET
// /api/v1/touchpoints answer this same document. Errors: kInvalid naming the option ("from: …",
// "division: …"), those of ComputeTouchpointRanking.
Result<nlohmann::json> TouchpointsReport(const Context& ctx, const TouchpointsReportOptions& o);

// {"division", "stages": [{"stage", "mean", "n"}…]}
nlohmann::json ToJson(const EmotionCurve& c);
// {"from", "to", "by", "groups": [{BY: key, "nps", "nps_n", "promoters", "detractors", "csat",
// "csat_n", "satisfied"} (+ "division" by stage)…]}
nlohmann::json ToJson(const FeedbackScores& s);

}  // namespace cx
