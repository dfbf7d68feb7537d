// Opportunities (create, read, checklist, stage moves, win, lose, routing), cases (open, read,
// steps), orders (read), next actions and the caller's own queue. Each handler parses, calls
// one service and maps its status; the services apply the journey's rules (the checklist, the
// rule of engagement, a manager's override).
#include "api/route.h"
#include "render/json_out.h"
#include "render/record_json.h"
#include "render/report_json.h"
#include "service/next_action_service.h"

namespace cx::api {

namespace {

// Reads "date" (a time as the command line takes it) into *out; false with *err on a bad one.
bool ReadWhen(const Call& c, const std::optional<std::string>& text, std::optional<Timestamp>* out,
              HttpResponse* err) {
  if (!text || text->empty()) return true;
  auto t = ParseTime(*text, c.ctx.zone);
  if (!t.ok()) {
    *err = ErrorResponse(400, "invalid", "date: " + t.status().message(),
                         {{"date", t.status().message()}});
    return false;
  }
  *out = *t;
  return true;
}

HttpResponse Created(const nlohmann::json& j, const std::string& location) {
  HttpResponse r = JsonResponse(201, j);
  r.headers.emplace_back("Location", location);
  return r;
}

HttpResponse PostOpportunity(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"account_id", "division", "owner", "amount", "stage", "title", "date"});
  Opportunity o;
  o.account_id = f.Text("account_id", true).value_or("");
  o.division = f.Text("division", true).value_or("");
  o.owner = f.Text("owner").value_or("");
  o.amount = f.Number("amount");
  o.stage = f.Text("stage").value_or("");
  o.title = f.Text("title").value_or("");
  auto date = f.Text("date");
  if (!f.ok()) return f.Error();
  std::optional<Timestamp> at;
  if (!ReadWhen(c, date, &at, &err)) return err;
  if (at) o.created = *at;
  auto r = AddOpportunity(c.Writing(), o);
  if (!r.ok()) return FromStatus(r.status());
  return Created(AddOpportunityJson(*r, c.ctx.zone), "/api/v1/opportunities/" + r->opportunity.id);
}

HttpResponse GetOpportunity(Call& c) {
  return Answer(ShowOpportunity(c.Reading(), c.params["id"]),
                [&](const OpportunityView& v) { return OpportunityViewJson(v, c.ctx.zone); });
}

HttpResponse CheckOpportunity(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"items", "answer"});
  auto items = f.TextList("items");
  auto answer = f.Text("answer");
  if (!items) f.Text("items", true);  // names it as required when absent
  if (!f.ok()) return f.Error();
  Status st = CheckItems(c.Writing(), c.params["id"], *items, answer.value_or(""));
  if (!st.ok()) return FromStatus(st);
  return Answer(ShowOpportunity(c.Reading(), c.params["id"]),
                [&](const OpportunityView& v) { return OpportunityViewJson(v, c.ctx.zone); });
}

// POST …/moves, …/win: a stage move (or the win) with the checklist rule; a manager may
// override a refused move with a reason.
HttpResponse MoveOrWin(Call& c, bool win) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body,
                win ? std::initializer_list<const char*>{"closer", "date", "override", "reason"}
                    : std::initializer_list<const char*>{"stage", "date", "override", "reason"});
  auto stage = win ? std::nullopt : f.Text("stage", true);
  auto closer = win ? f.Text("closer") : std::nullopt;
  auto date = f.Text("date");
  Override ov{f.Bool("override").value_or(false), f.Text("reason").value_or("")};
  if (!f.ok()) return f.Error();
  std::optional<Timestamp> at;
  if (!ReadWhen(c, date, &at, &err)) return err;
  auto r = win ? WinOpportunity(c.Writing(), c.params["id"], closer.value_or(""), at, ov)
               : MoveOpportunity(c.Writing(), c.params["id"], *stage, at, ov);
  return Answer(r, [&](const MoveResult& m) { return MoveJson(m, c.ctx.zone); });
}

HttpResponse MoveRoute(Call& c) { return MoveOrWin(c, false); }
HttpResponse WinRoute(Call& c) { return MoveOrWin(c, true); }

HttpResponse LoseRoute(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"reason", "date"});
  auto reason = f.Text("reason", true);
  auto date = f.Text("date");
  if (!f.ok()) return f.Error();
  std::optional<Timestamp> at;
  if (!ReadWhen(c, date, &at, &err)) return err;
  return Answer(LoseOpportunity(c.Writing(), c.params["id"], *reason, at),
                [&](const Opportunity& o) { return ToJson(o, c.ctx.zone); });
}

HttpResponse RouteRoute(Call& c) {
  if (!c.req.body.empty()) {
    nlohmann::json body;
    HttpResponse err;
    if (!ReadJsonObject(c, &body, &err)) return err;
    FieldReader f(body, {});
    if (!f.ok()) return f.Error();
  }
  return Answer(RouteOpportunity(c.Writing(), c.params["id"]), RoutingJson);
}

HttpResponse PostCase(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"account_id", "contact_id", "division", "kind", "summary", "owner", "date"});
  Case k;
  k.account_id = f.Text("account_id", true).value_or("");
  k.contact_id = f.Text("contact_id").value_or("");
  k.division = f.Text("division", true).value_or("");
  k.kind = f.Text("kind", true).value_or("");
  k.summary = f.Text("summary").value_or("");
  k.owner = f.Text("owner").value_or("");
  auto date = f.Text("date");
  if (!f.ok()) return f.Error();
  std::optional<Timestamp> at;
  if (!ReadWhen(c, date, &at, &err)) return err;
  if (at) k.opened = *at;
  auto r = OpenCase(c.Writing(), k);
  if (!r.ok()) return FromStatus(r.status());
  return Created(CaseJson(*r, c.ctx.zone), "/api/v1/cases/" + r->id);
}

HttpResponse GetCase(Call& c) {
  return Answer(ShowCase(c.Reading(), c.params["id"]),
                [&](const CaseView& v) { return CaseViewJson(v, c.ctx.zone); });
}

HttpResponse CaseStepRoute(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"step", "date"});
  auto step = f.Text("step", true);
  auto date = f.Text("date");
  if (!f.ok()) return f.Error();
  static const std::pair<const char*, CaseStep> kSteps[] = {
      {"respond", CaseStep::kRespond},
      {"confirm", CaseStep::kConfirm},
      {"approve-quote", CaseStep::kApproveQuote},
      {"start-work", CaseStep::kStartWork},
      {"close", CaseStep::kClose}};
  std::optional<CaseStep> which;
  for (const auto& [name, s] : kSteps)
    if (*step == name) which = s;
  if (!which) {
    const char* msg = "must be respond, confirm, approve-quote, start-work or close";
    return ErrorResponse(400, "invalid", std::string("step: ") + msg, {{"step", msg}});
  }
  std::optional<Timestamp> at;
  if (!ReadWhen(c, date, &at, &err)) return err;
  return Answer(AdvanceCase(c.Writing(), c.params["id"], *which, at),
                [&](const Case& k) { return CaseJson(k, c.ctx.zone); });
}

HttpResponse GetOrder(Call& c) {
  std::optional<Order> o;
  Status st = c.Reading().store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(o, tx.GetOrder(c.params["id"]));
    return Status::Ok();
  });
  if (!st.ok()) return FromStatus(st);
  if (!o) return FromStatus(NotFound("order " + c.params["id"] + " does not exist"));
  return JsonResponse(200, OrderJson(*o, c.ctx.zone));
}

HttpResponse ListNextActionsRoute(Call& c) {
  NextActionReportOptions o;
  o.owner = QueryText(c, "owner");
  o.at = QueryText(c, "at");
  HttpResponse err;
  if (!QueryFlag(c, "overdue", &o.overdue, &err)) return err;
  return Answer(NextActionReport(c.Reading(), o), [](const nlohmann::json& j) { return j; });
}

HttpResponse DoneRoute(Call& c) {
  Status st = CompleteNextAction(c.Writing(), c.params["id"]);
  if (!st.ok()) return FromStatus(st);
  return JsonResponse(200, {{"id", c.params["id"]}, {"done", true}});
}

bool SamePerson(const User& u, const std::string& who) {
  auto lower = [](std::string s) {
    for (char& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  const std::string w = lower(who);
  return !w.empty() && (w == lower(u.login) || w == lower(u.name));
}

// My queue: the caller's SLA clocks that are breached or at risk (worst first, as `sla`
// orders them) and their open next actions (overdue first, then by due).
HttpResponse QueueRoute(Call& c) {
  SlaReportOptions so;
  so.at = QueryText(c, "at");
  auto sla = SlaReport(c.Reading(), so);
  if (!sla.ok()) return FromStatus(sla.status());
  NextActionReportOptions no;
  no.at = so.at;
  auto next = NextActionReport(c.Reading(), no);
  if (!next.ok()) return FromStatus(next.status());
  nlohmann::json mine_sla = nlohmann::json::array(), mine_next = nlohmann::json::array();
  for (const auto& i : (*sla)["items"])
    if (SamePerson(*c.user, i["owner"].get<std::string>())) mine_sla.push_back(i);
  for (int overdue : {1, 0}) {
    for (const auto& i : (*next)["next_actions"]) {
      if (i["overdue"].get<bool>() == bool(overdue) &&
          SamePerson(*c.user, i["owner"].get<std::string>())) {
        mine_next.push_back(i);
      }
    }
  }
  return JsonResponse(200, {{"at", (*sla)["at"]}, {"sla", mine_sla}, {"next_actions", mine_next}});
}

}  // namespace

void AddJourneyRoutes(std::vector<Route>* out) {
  const auto W = Operation::kWorkOpportunities;
  const auto R = Operation::kReadRecords;
  const auto K = Operation::kWorkCases;
  const std::vector<int> write = {200, 400, 401, 403, 404, 409};
  out->push_back({"POST",
                  "/api/v1/opportunities",
                  W,
                  "Create an opportunity at its journey's first stage (P&I leads are routed)",
                  {},
                  {201, 400, 401, 403, 409},
                  true,
                  PostOpportunity});
  out->push_back({"GET",
                  "/api/v1/opportunities/{id}",
                  R,
                  "An opportunity with its stage history, checklist, next actions, interactions",
                  {},
                  {200, 401, 403, 404},
                  false,
                  GetOpportunity});
  out->push_back({"POST",
                  "/api/v1/opportunities/{id}/checklist",
                  W,
                  "Record checklist items as done ({items: [label or key…], answer})",
                  {},
                  write,
                  true,
                  CheckOpportunity});
  out->push_back({"POST",
                  "/api/v1/opportunities/{id}/moves",
                  W,
                  "Move to a stage; an incomplete checklist refuses it (409) unless a manager "
                  "overrides with a reason",
                  {},
                  write,
                  true,
                  MoveRoute});
  out->push_back({"POST",
                  "/api/v1/opportunities/{id}/win",
                  W,
                  "Win: the closer becomes the Account Owner (the rule of engagement)",
                  {},
                  write,
                  true,
                  WinRoute});
  out->push_back({"POST",
                  "/api/v1/opportunities/{id}/lose",
                  W,
                  "Lose, with a reason",
                  {},
                  write,
                  true,
                  LoseRoute});
  out->push_back({"POST",
                  "/api/v1/opportunities/{id}/route",
                  W,
                  "Route an unowned lead by the routing rules",
                  {},
                  write,
                  true,
                  RouteRoute});
  out->push_back(
      {"POST", "/api/v1/cases", K, "Open a case", {}, {201, 400, 401, 403, 409}, true, PostCase});
  out->push_back({"GET",
                  "/api/v1/cases/{id}",
                  R,
                  "A case with its interactions and next actions",
                  {},
                  {200, 401, 403, 404},
                  false,
                  GetCase});
  out->push_back({"POST",
                  "/api/v1/cases/{id}/steps",
                  K,
                  "Record a step: respond, confirm, approve-quote, start-work or close",
                  {},
                  write,
                  true,
                  CaseStepRoute});
  out->push_back({"GET",
                  "/api/v1/orders/{id}",
                  R,
                  "One ERP order",
                  {},
                  {200, 401, 403, 404},
                  false,
                  GetOrder});
  out->push_back({"GET",
                  "/api/v1/next-actions",
                  R,
                  "Open next actions, earliest due first (= next-action list --json)",
                  {"owner", "at", "overdue"},
                  {200, 400, 401, 403},
                  false,
                  ListNextActionsRoute});
  out->push_back({"POST",
                  "/api/v1/next-actions/{id}/done",
                  Operation::kLogInteractions,
                  "Mark a next action done",
                  {},
                  write,
                  true,
                  DoneRoute});
  out->push_back({"GET",
                  "/api/v1/queue",
                  R,
                  "My queue: my breached and at-risk SLA clocks (worst first) and my open next "
                  "actions (overdue first)",
                  {"at"},
                  {200, 400, 401, 403},
                  false,
                  QueueRoute});
}

}  // namespace cx::api
