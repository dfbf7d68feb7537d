// Routes of the web page's screens (docs/api.md): the journeys (= config show --json), an
// account's ERP orders and feedback (pages, newest first), the emotion curve and NPS/CSAT groups
// (= feedback curve|scores --json), logging feedback (= feedback add) and survey links (= survey
// link). Thin: parse, call the one service the command line calls, answer its document.
#include <cctype>
#include <cstdlib>

#include "api/route.h"
#include "base/time.h"
#include "render/feedback_json.h"
#include "render/journey_json.h"
#include "render/record_json.h"
#include "service/account_history.h"
#include "service/config_service.h"
#include "service/feedback_service.h"
#include "service/survey_service.h"

namespace cx::api {

namespace {

HttpResponse JourneysRoute(Call&) {
  auto cfg = ActiveConfig();
  if (!cfg.ok()) return FromStatus(cfg.status());
  return JsonResponse(200, JourneysJson((*cfg)->journeys, (*cfg)->calendar.spec()));
}

HttpResponse AccountOrdersRoute(Call& c) {
  Page page;
  HttpResponse err;
  if (!ReadPage(c, &page, &err)) return err;
  auto rows = ListAccountOrders(c.Reading(), c.params["id"], page.limit + 1, page.offset);
  if (!rows.ok()) return FromStatus(rows.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& o : *rows) items.push_back(OrderJson(o, c.ctx.zone));
  return PageResponse(page, std::move(items));
}

HttpResponse AccountFeedbackRoute(Call& c) {
  Page page;
  HttpResponse err;
  if (!ReadPage(c, &page, &err)) return err;
  auto rows = ListAccountFeedback(c.Reading(), c.params["id"], page.limit + 1, page.offset);
  if (!rows.ok()) return FromStatus(rows.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& f : *rows) items.push_back(ToJson(f, c.ctx.zone));
  return PageResponse(page, std::move(items));
}

HttpResponse CurveRoute(Call& c) {
  CurveReportOptions o;
  o.division = QueryText(c, "division");
  o.from = QueryText(c, "from");
  o.to = QueryText(c, "to");
  o.prefix = "";
  auto doc = CurveReport(c.Reading(), o);
  if (!doc.ok()) return FromStatusRenamed(doc.status(), {});
  return JsonResponse(200, *doc);
}

HttpResponse ScoresRoute(Call& c) {
  ScoresReportOptions o;
  o.by = QueryText(c, "by");
  o.division = QueryText(c, "division");
  o.from = QueryText(c, "from");
  o.to = QueryText(c, "to");
  o.prefix = "";
  auto doc = ScoresReport(c.Reading(), o);
  if (!doc.ok()) return FromStatusRenamed(doc.status(), {});
  return JsonResponse(200, *doc);
}

HttpResponse AddFeedbackRoute(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader r(body, {"kind", "score", "contact_id", "account_id", "touchpoint", "stage",
                       "division", "platform", "comment", "date", "source"});
  Feedback f;
  f.kind = r.Text("kind", true).value_or("");
  auto score = r.Number("score");
  if (!score) r.Text("score", true);  // absent: "is required"
  f.contact_id = r.Text("contact_id").value_or("");
  f.account_id = r.Text("account_id").value_or("");
  f.touchpoint = r.Text("touchpoint").value_or("");
  f.stage = r.Text("stage").value_or("");
  f.division = r.Text("division").value_or("");
  f.platform = r.Text("platform").value_or("");
  f.comment = r.Text("comment").value_or("");
  f.source = r.Text("source").value_or("");
  auto date = r.Text("date");
  if (!r.ok()) return r.Error();
  f.score = *score;
  if (date && !date->empty()) {
    auto t = ParseTime(*date, c.ctx.zone);
    if (!t.ok()) {
      return ErrorResponse(400, "invalid", "date: " + t.status().message(),
                           {{"date", t.status().message()}});
    }
    f.date = *t;
  }
  auto saved = AddFeedback(c.Writing(), f);
  if (!saved.ok()) {
    return FromStatusRenamed(saved.status(),
                             {{"contact", "contact_id"}, {"account", "account_id"}});
  }
  return JsonResponse(201, ToJson(*saved, c.ctx.zone));
}

// Where customers reach the hub: $CXHUB_PUBLIC_URL (as for `survey link`), else the address
// this request came to (https behind TLS), else "" (the service then names base_url).
std::string BaseUrl(const Call& c) {
  const char* env = std::getenv("CXHUB_PUBLIC_URL");
  if (env && *env) return env;
  const std::string* host = c.req.Header("host");
  if (!host || host->empty()) return "";
  for (char ch : *host) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == ':' ||
          ch == '[' || ch == ']'))
      return "";
  }
  return std::string(c.secure_cookie ? "https://" : "http://") + *host;
}

HttpResponse SurveyLinkRoute(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader r(body, {"touchpoint", "contact_id", "kind", "base_url"});
  SurveyLinkRequest q;
  q.touchpoint = r.Text("touchpoint", true).value_or("");
  q.contact = r.Text("contact_id").value_or("");
  q.kind = r.Text("kind").value_or("nps");
  auto base = r.Text("base_url");
  if (!r.ok()) return r.Error();
  q.base_url = base ? *base : BaseUrl(c);
  auto link = CreateSurveyLink(c.Writing(), q);
  if (!link.ok()) {
    return FromStatusRenamed(link.status(), {{"contact", "contact_id"}, {"base-url", "base_url"}});
  }
  return JsonResponse(201, ToJson(*link, c.ctx.zone));
}

// ---- the documents' shapes, for the OpenAPI document ----

const nlohmann::json kText = {{"type", "string"}};
const nlohmann::json kNum = {{"type", "number"}};
const nlohmann::json kOptNum = {{"type", {"number", "null"}}};
const nlohmann::json kInt = {{"type", "integer"}};
const nlohmann::json kBool = {{"type", "boolean"}};

nlohmann::json Object(const nlohmann::json& props, bool closed = true) {
  nlohmann::json required = nlohmann::json::array();
  for (const auto& [k, v] : props.items()) required.push_back(k);
  nlohmann::json o = {{"type", "object"}, {"required", required}, {"properties", props}};
  if (closed) o["additionalProperties"] = false;
  return o;
}
nlohmann::json Array(const nlohmann::json& items) { return {{"type", "array"}, {"items", items}}; }

nlohmann::json JourneysSchema() {
  const nlohmann::json sla =
      Object({{"kind", kText}, {"hours", kNum}, {"business_hours", kBool}, {"stops", kText}});
  const nlohmann::json checklist =
      Object({{"name", kText},
              {"title", kText},
              {"required_for", kText},
              {"items", Array(Object({{"key", kText}, {"label", kText}, {"required", kBool}}))}});
  const nlohmann::json stage = Object(
      {{"name", kText},
       {"outcome", {{"type", "string"}, {"enum", {"open", "won", "after-won"}}}},
       {"checklists", Array(checklist)},
       {"next_actions", Array(Object({{"action", kText}, {"due_days", kInt}, {"owner", kText}}))},
       {"slas", Array(sla)}});
  return Object({{"journeys", Array(Object({{"division", kText},
                                            {"won_stage", kText},
                                            {"lost_stage", kText},
                                            {"service_job_needs_approved_quote", kBool},
                                            {"stages", Array(stage)},
                                            {"case_slas", Array(sla)}}))},
                 {"calendar", Object({{"zone", kText},
                                      {"working_days", Array(kText)},
                                      {"hours", kText},
                                      {"fixed_holidays", Array(kText)},
                                      {"dated_holidays", Array(kText)}})}});
}

nlohmann::json OrderSchema() {
  return Object({{"id", kText},
                 {"erp_customer_id", kText},
                 {"date", kText},
                 {"division", kText},
                 {"amount", kNum},
                 {"currency", kText},
                 {"last_modified", kText}});
}

nlohmann::json FeedbackSchema() {
  return Object({{"id", kText},
                 {"date", kText},
                 {"kind", kText},
                 {"score", kNum},
                 {"account_id", kText},
                 {"contact_id", kText},
                 {"division", kText},
                 {"stage", kText},
                 {"touchpoint", kText},
                 {"platform", kText},
                 {"comment", kText},
                 {"source", kText}});
}

nlohmann::json PageOf(const nlohmann::json& item) {
  return Object({{"items", Array(item)}, {"next_cursor", {{"type", {"string", "null"}}}}});
}

nlohmann::json CurveSchema() {
  return Object({{"division", kText},
                 {"stages", Array(Object({{"stage", kText}, {"mean", kOptNum}, {"n", kInt}}))}});
}

nlohmann::json ScoresSchema() {
  // A group's key is named after `by` (division, touchpoint or stage; a stage also names its
  // division), so the group stays open to that one key.
  nlohmann::json group = Object({{"nps", kOptNum},
                                 {"nps_n", kInt},
                                 {"promoters", kInt},
                                 {"detractors", kInt},
                                 {"csat", kOptNum},
                                 {"csat_n", kInt},
                                 {"satisfied", kInt}},
                                /*closed=*/false);
  return Object({{"from", kText},
                 {"to", kText},
                 {"by", {{"type", "string"}, {"enum", {"division", "touchpoint", "stage"}}}},
                 {"groups", Array(group)}});
}

nlohmann::json SurveyLinkSchema() {
  return Object({{"url", kText},
                 {"touchpoint", kText},
                 {"contact", {{"type", {"string", "null"}}}},
                 {"kind", kText},
                 {"expires", kText}});
}

}  // namespace

void AddScreenRoutes(std::vector<Route>* out) {
  const auto R = Operation::kReadRecords;
  auto add = [&](Route r, nlohmann::json schema) {
    r.schema = std::move(schema);
    out->push_back(std::move(r));
  };
  add({"GET",
       "/api/v1/journeys",
       R,
       "Every division's journey: stages in order, each stage's checklists, next actions and "
       "SLA clocks (= config show --json)",
       {},
       {200, 401, 403},
       false,
       JourneysRoute},
      JourneysSchema());
  add({"GET",
       "/api/v1/accounts/{id}/orders",
       R,
       "The account's ERP orders, newest first (limit, cursor)",
       {"limit", "cursor"},
       {200, 400, 401, 403, 404},
       false,
       AccountOrdersRoute},
      PageOf(OrderSchema()));
  add({"GET",
       "/api/v1/accounts/{id}/feedback",
       R,
       "The account's feedback, newest first (limit, cursor)",
       {"limit", "cursor"},
       {200, 400, 401, 403, 404},
       false,
       AccountFeedbackRoute},
      PageOf(FeedbackSchema()));
  add({"GET",
       "/api/v1/feedback/curve",
       R,
       "The emotion curve of a division's journey (= feedback curve --json; division, from, to)",
       {"division", "from", "to"},
       {200, 400, 401, 403},
       false,
       CurveRoute},
      CurveSchema());
  add({"GET",
       "/api/v1/feedback/scores",
       R,
       "NPS and CSAT by division, touchpoint or stage (= feedback scores --json; by, division, "
       "from, to)",
       {"by", "division", "from", "to"},
       {200, 400, 401, 403},
       false,
       ScoresRoute},
      ScoresSchema());
  add({"POST",
       "/api/v1/feedback",
       Operation::kAddFeedback,
       "Log one piece of feedback (= feedback add): {kind, score, contact_id, account_id, "
       "touchpoint, stage, division, platform, comment, date, source}",
       {},
       {201, 400, 401, 403},
       true,
       AddFeedbackRoute},
      FeedbackSchema());
  add({"POST",
       "/api/v1/survey-links",
       Operation::kSurveyLinks,
       "A signed, single-use survey link (= survey link --json): {touchpoint, contact_id, kind, "
       "base_url}",
       {},
       {201, 400, 401, 403},
       true,
       SurveyLinkRoute},
      SurveyLinkSchema());
}

}  // namespace cx::api
