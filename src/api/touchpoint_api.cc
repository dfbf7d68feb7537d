// The touchpoint ranking over HTTP (docs/feedback.md): GET /api/v1/touchpoints takes the command
// line's options as query parameters (from, to, division) and answers the `touchpoints --json`
// document, built by the same function (render/feedback_json.h TouchpointsReport).
#include "api/route.h"
#include "render/feedback_json.h"

namespace cx::api {
namespace {

HttpResponse TouchpointsRoute(Call& c) {
  TouchpointsReportOptions o;
  o.from = QueryText(c, "from");
  o.to = QueryText(c, "to");
  o.division = QueryText(c, "division");
  o.prefix = "";
  return Answer(TouchpointsReport(c.Reading(), o), [](const nlohmann::json& j) { return j; });
}

// The document's shape (docs/feedback.md), for the OpenAPI document.
nlohmann::json RankingSchema() {
  const nlohmann::json num = {{"type", "number"}}, opt_num = {{"type", {"number", "null"}}};
  const nlohmann::json text = {{"type", "string"}}, count = {{"type", "integer"}};
  nlohmann::json row = {
      {"type", "object"},
      {"required",
       {"id", "name", "division", "stage", "budget", "responses", "nps", "mean_emotion", "leads",
        "won", "won_amount", "won_amount_per_naira", "cost_per_lead", "verdict"}},
      {"properties",
       {{"id", text},
        {"name", text},
        {"division", text},
        {"stage", text},
        {"budget", num},
        {"responses", count},
        {"nps", opt_num},
        {"mean_emotion", opt_num},
        {"leads", count},
        {"won", count},
        {"won_amount", num},
        {"won_amount_per_naira", opt_num},
        {"cost_per_lead", opt_num},
        {"verdict", {{"type", {"string", "null"}}, {"enum", {"invest", "cut-or-fix", nullptr}}}}}}};
  return {{"type", "object"},
          {"required", {"from", "to", "touchpoints"}},
          {"additionalProperties", false},
          {"properties",
           {{"from", text}, {"to", text}, {"touchpoints", {{"type", "array"}, {"items", row}}}}}};
}

}  // namespace

void AddTouchpointRoutes(std::vector<Route>* out) {
  Route r{"GET",
          "/api/v1/touchpoints",
          Operation::kReadRecords,
          "Touchpoints ranked by won amount per naira, with verdicts (= touchpoints --json; from, "
          "to, division)",
          {"from", "to", "division"},
          {200, 400, 401, 403},
          false,
          TouchpointsRoute};
  r.schema = RankingSchema();
  out->push_back(std::move(r));
}

}  // namespace cx::api
