// JSON shapes of touchpoints and the feedback measures (docs/feedback.md), shared by the command
// line's --json output and the HTTP API.
#pragma once

#include <nlohmann/json.hpp>

#include "service/feedback_report.h"
#include "service/survey_service.h"

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

// The options of `feedback curve` (text as typed; `prefix` as for TouchpointsReportOptions).
struct CurveReportOptions {
  std::string division, from, to;
  std::string prefix = "--";
};
// The emotion curve's document (`feedback curve --json`, GET /api/v1/feedback/curve).
// Errors: kInvalid naming the option ("division: …", "from: …"), those of ComputeEmotionCurve.
Result<nlohmann::json> CurveReport(const Context& ctx, const CurveReportOptions& o);

// The options of `feedback scores` (by: division, touchpoint or stage; empty is division).
struct ScoresReportOptions {
  std::string by, division, from, to;
  std::string prefix = "--";
};
// The NPS and CSAT groups' document (`feedback scores --json`, GET /api/v1/feedback/scores).
// Errors: kInvalid naming the option ("by: …", "division: …"), those of ComputeFeedbackScores.
Result<nlohmann::json> ScoresReport(const Context& ctx, const ScoresReportOptions& o);

// One feedback row (`feedback add --json`, POST /api/v1/feedback, an account's feedback list):
// {"id", "date", "kind", "score", "account_id", "contact_id", "division", "stage", "touchpoint",
// "platform", "comment", "source"}.
nlohmann::json ToJson(const Feedback& f, const Zone& z);
// A survey link (`survey link --json`, POST /api/v1/survey-links): {"url", "touchpoint",
// "contact" (or null), "kind", "expires"}.
nlohmann::json ToJson(const SurveyLink& l, const Zone& z);

}  // namespace cx
