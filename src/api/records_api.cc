// Search, accounts, contacts and interactions over the API: each handler parses, calls one
// service and maps its status (api_error.h).
#include "api/api_error.h"
#include "api/route.h"
#include "base/sha256.h"
#include "base/text.h"
#include "render/json_out.h"
#include "render/record_json_text.h"
#include "service/account_service.h"
#include "service/interaction_service.h"
#include "service/match.h"

namespace cx::api {

namespace {

// The entity tag of an account: a hash of everything the API shows of it and when it last
// changed, so any change (by anyone, through any door) gives a new tag.
// `shown` is the record's JSON text.
std::string Etag(std::string_view shown, Timestamp updated_at) {
  const std::string suffix = "|" + std::to_string(updated_at);
  Sha256 h;
  h.Update(shown.data(), shown.size());
  h.Update(suffix.data(), suffix.size());
  auto d = h.HexDigest();
  return "\"" + (d.ok() ? d->substr(0, 32) : std::string("0")) + "\"";
}
std::string AccountEtag(const Account& a) { return Etag(AccountJsonText(a), a.updated_at); }
std::string ContactEtag(const Contact& x) { return Etag(ToJson(x).dump(), x.updated_at); }

HttpResponse Stale(const char* what) {
  return ErrorResponse(412, "stale",
                       std::string("the ") + what +
                           " changed since it was read (If-Match does not match its ETag); read "
                           "it again and redo the edit");
}

HttpResponse NeedIfMatch(const char* what) {
  return ErrorResponse(
      428, "precondition_required",
      std::string("an edit needs If-Match with the ETag of the ") + what + " as read");
}

HttpResponse SearchRoute(Call& c) {
  auto q = c.query.find("q");
  if (q == c.query.end() || Trim(q->second).empty()) {
    return ErrorResponse(400, "invalid", "q: is required", {{"q", "is required"}});
  }
  int limit = 20;
  HttpResponse err;
  if (!QueryInt(c, "limit", 20, 100, &limit, &err)) return err;
  std::vector<Match> hits;
  Status st = c.Reading().store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(hits, Search(tx, q->second, limit));
    return Status::Ok();
  });
  if (!st.ok()) return FromStatus(st);
  // Written as text, not as a tree of JSON nodes (the same bytes; the tree was about a
  // twentieth of a search's CPU).
  return JsonTextResponse(200, SearchJsonText(hits));
}

HttpResponse GetAccountRoute(Call& c) {
  auto v = ShowAccount(c.Reading(), c.params["id"], 50, /*deals=*/false);
  if (!v.ok()) return FromStatus(v.status());
  // Written as text, not as a tree of JSON nodes (the most requested answer; building and
  // dumping a tree was over a quarter of its CPU). The tag is the account's own JSON, before
  // its contacts and interactions join it.
  std::string account_json;
  HttpResponse r = JsonTextResponse(200, AccountViewJsonText(*v, c.ctx.zone, &account_json));
  r.headers.emplace_back("ETag", Etag(account_json, v->account.updated_at));
  return r;
}

HttpResponse PatchAccountRoute(Call& c) {
  const std::string* if_match = c.req.Header("if-match");
  if (!if_match) return NeedIfMatch("account");
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"name", "industry", "owner", "divisions", "type", "address", "city", "phone",
                       "email", "status", "reason"});
  auto name = f.Text("name");
  auto industry = f.Text("industry");
  auto owner = f.Text("owner");
  auto divisions = f.Text("divisions");
  auto type = f.Text("type");
  auto address = f.Text("address");
  auto city = f.Text("city");
  auto phone = f.Text("phone");
  auto email = f.Text("email");
  auto status = f.Text("status");
  auto reason = f.Text("reason");
  if (!f.ok()) return f.Error();

  auto current = ShowAccount(c.Reading(), c.params["id"], 0, /*deals=*/false);
  if (!current.ok()) return FromStatus(current.status());
  Account a = current->account;
  if (auto no = Refused(c, Operation::kEditMasterData, {a.divisions})) return *no;
  for (auto [value, field] : {std::pair{&name, &a.name},
                              {&industry, &a.industry},
                              {&owner, &a.owner},
                              {&divisions, &a.divisions},
                              {&type, &a.type},
                              {&address, &a.address},
                              {&city, &a.city},
                              {&phone, &a.phone},
                              {&email, &a.email},
                              {&status, &a.status}}) {
    if (*value) *field = **value;
  }
  if (divisions) {
    if (auto no = Refused(c, Operation::kEditMasterData, {a.divisions})) return *no;
  }
  bool stale = false;
  auto r = UpdateAccount(c.Writing(), a, reason.value_or(""), [&](const Account& stored) -> Status {
    if (AccountEtag(stored) == *if_match) return Status::Ok();
    stale = true;
    return Conflict("stale");
  });
  if (stale) return Stale("account");
  if (!r.ok()) return FromStatus(r.status());
  // The stored account (with its new updated_at) gives the tag the next edit must send.
  auto after = ShowAccount(c.Reading(), a.id, 0, /*deals=*/false);
  if (!after.ok()) return FromStatus(after.status());
  HttpResponse resp = JsonResponse(200, ToJson(after->account));
  resp.headers.emplace_back("ETag", AccountEtag(after->account));
  return resp;
}

// 409 with the probable duplicates, both in the error and beside it.
HttpResponse DuplicateAnswer(NameKind k, const Status& st) {
  auto matches = RefusedDuplicates(k, st);
  if (matches.empty()) return FromStatus(st);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& m : matches) list.push_back(ToJson(m));
  nlohmann::json body = {{"error",
                          {{"code", "probable_duplicate"},
                           {"message", st.message()},
                           {"fields", nlohmann::json::object()},
                           {"matches", list}}},
                         {"matches", list}};
  return JsonResponse(409, body);
}

bool ReadForce(FieldReader& f, CreateOptions* opt) {
  auto force = f.Bool("force");
  auto reason = f.Text("reason");
  opt->force = force.value_or(false);
  opt->reason = reason.value_or("");
  return true;
}

HttpResponse PostAccountRoute(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"name", "industry", "owner", "divisions", "type", "address", "city", "phone",
                       "email", "force", "reason"});
  Account a;
  a.name = f.Text("name", true).value_or("");
  a.industry = f.Text("industry").value_or("");
  a.owner = f.Text("owner").value_or("");
  a.divisions = f.Text("divisions").value_or("");
  if (auto t = f.Text("type")) a.type = *t;
  a.address = f.Text("address").value_or("");
  a.city = f.Text("city").value_or("");
  a.phone = f.Text("phone").value_or("");
  a.email = f.Text("email").value_or("");
  CreateOptions opt;
  ReadForce(f, &opt);
  if (!f.ok()) return f.Error();
  if (auto no = Refused(c, Operation::kCreateRecords, {a.divisions})) return *no;
  auto r = AddAccount(c.Writing(), a, opt);
  if (!r.ok()) return DuplicateAnswer(NameKind::kAccount, r.status());
  HttpResponse resp = JsonResponse(201, ToJson(*r));
  resp.headers.emplace_back("Location", "/api/v1/accounts/" + r->id);
  resp.headers.emplace_back("ETag", AccountEtag(*r));
  return resp;
}

HttpResponse PostContactRoute(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body,
                {"full_name", "job_title", "account_id", "email", "phone", "force", "reason"});
  Contact x;
  x.full_name = f.Text("full_name", true).value_or("");
  x.job_title = f.Text("job_title").value_or("");
  x.account_id = f.Text("account_id").value_or("");
  x.email = f.Text("email").value_or("");
  x.phone = f.Text("phone").value_or("");
  CreateOptions opt;
  ReadForce(f, &opt);
  if (!f.ok()) return f.Error();
  auto r = AddContact(c.Writing(), x, opt);
  if (!r.ok()) return DuplicateAnswer(NameKind::kContact, r.status());
  HttpResponse resp = JsonResponse(201, ToJson(*r));
  resp.headers.emplace_back("Location", "/api/v1/contacts/" + r->id);
  return resp;
}

HttpResponse PostInteractionRoute(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"contact_id", "channel", "notes", "next_action", "due", "opportunity_id",
                       "case_id", "date", "type", "division"});
  Interaction i;
  i.contact_id = f.Text("contact_id", true).value_or("");
  i.channel = f.Text("channel", true).value_or("");
  i.notes = f.Text("notes").value_or("");
  i.next_action = f.Text("next_action").value_or("");
  i.opportunity_id = f.Text("opportunity_id").value_or("");
  i.case_id = f.Text("case_id").value_or("");
  i.type = f.Text("type").value_or("");
  i.division = f.Text("division").value_or("");
  auto due = f.Text("due");
  auto date = f.Text("date");
  if (!f.ok()) return f.Error();
  nlohmann::json bad = nlohmann::json::object();
  if (due && !due->empty()) {
    auto t = ParseTime(*due, c.ctx.zone);
    if (t.ok())
      i.next_action_due = *t;
    else
      bad["due"] = t.status().message();
  }
  if (date && !date->empty()) {
    auto t = ParseTime(*date, c.ctx.zone);
    if (t.ok())
      i.at = *t;
    else
      bad["date"] = t.status().message();
  }
  if (!bad.empty()) return ErrorResponse(400, "invalid", "the request has bad fields", bad);
  auto r = LogInteraction(c.Writing(), i);
  if (!r.ok()) {
    // The service names the record ("contact: …"); the API's field is "contact_id".
    HttpResponse e = FromStatus(r.status());
    if (e.status == 400) {
      auto j = nlohmann::json::parse(e.body);
      nlohmann::json fields = nlohmann::json::object();
      for (const auto& [k, v] : j["error"]["fields"].items()) {
        bool ref = k == "contact" || k == "opportunity" || k == "case";
        fields[ref ? k + "_id" : k] = v;
      }
      j["error"]["fields"] = fields;
      e = JsonResponse(400, j);
    }
    return e;
  }
  HttpResponse resp = JsonResponse(201, ToJson(*r, c.ctx.zone));
  resp.headers.emplace_back("Location", "/api/v1/interactions/" + r->id);
  return resp;
}

HttpResponse GetContactRoute(Call& c) {
  auto v = ShowContact(c.Reading(), c.params["id"], 50);
  if (!v.ok()) return FromStatus(v.status());
  nlohmann::json j = ToJson(v->contact);
  j["account_name"] = v->account ? nlohmann::json(v->account->name) : nlohmann::json(nullptr);
  nlohmann::json interactions = nlohmann::json::array();
  for (const auto& x : v->interactions) interactions.push_back(ToJson(x, c.ctx.zone));
  j["interactions"] = interactions;
  HttpResponse r = JsonResponse(200, j);
  r.headers.emplace_back("ETag", ContactEtag(v->contact));
  return r;
}

HttpResponse PatchContactRoute(Call& c) {
  const std::string* if_match = c.req.Header("if-match");
  if (!if_match) return NeedIfMatch("contact");
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"full_name", "job_title", "account_id", "email", "phone", "reason"});
  auto full_name = f.Text("full_name");
  auto job_title = f.Text("job_title");
  auto account_id = f.Text("account_id");
  auto email = f.Text("email");
  auto phone = f.Text("phone");
  auto reason = f.Text("reason");
  if (!f.ok()) return f.Error();
  auto current = ShowContact(c.Reading(), c.params["id"], 0);
  if (!current.ok()) return FromStatus(current.status());
  Contact x = current->contact;
  std::vector<std::string> divisions;
  if (current->account) divisions.push_back(current->account->divisions);
  if (auto no = Refused(c, Operation::kEditMasterData, divisions)) return *no;
  for (auto [value, field] : {std::pair{&full_name, &x.full_name},
                              {&job_title, &x.job_title},
                              {&account_id, &x.account_id},
                              {&email, &x.email},
                              {&phone, &x.phone}}) {
    if (*value) *field = **value;
  }
  if (account_id && *account_id != current->contact.account_id) {
    auto moved_to = ShowAccount(c.Reading(), *account_id, 0, /*deals=*/false);
    if (!moved_to.ok()) {
      return ErrorResponse(400, "invalid", "account_id: no such account",
                           {{"account_id", "no such account"}});
    }
    if (auto no = Refused(c, Operation::kEditMasterData, {moved_to->account.divisions})) return *no;
  }
  bool stale = false;
  auto r = UpdateContact(c.Writing(), x, reason.value_or(""), [&](const Contact& stored) -> Status {
    if (ContactEtag(stored) == *if_match) return Status::Ok();
    stale = true;
    return Conflict("stale");
  });
  if (stale) return Stale("contact");
  if (!r.ok()) return FromStatus(r.status());
  auto after = ShowContact(c.Reading(), x.id, 0);
  if (!after.ok()) return FromStatus(after.status());
  HttpResponse resp = JsonResponse(200, ToJson(after->contact));
  resp.headers.emplace_back("ETag", ContactEtag(after->contact));
  return resp;
}

HttpResponse GetInteractionRoute(Call& c) {
  auto v = GetInteraction(c.Reading(), c.params["id"]);
  if (!v.ok()) return FromStatus(v.status());
  return JsonResponse(200, ToJson(*v, c.ctx.zone));
}

}  // namespace

void AddRecordRoutes(std::vector<Route>* out) {
  out->push_back({"GET",
                  "/api/v1/search",
                  Operation::kReadRecords,
                  "Search accounts and contacts by name, phone or email (= search --json)",
                  {"q", "limit"},
                  {200, 400, 401, 403},
                  false,
                  SearchRoute});
  out->push_back({"POST",
                  "/api/v1/accounts",
                  Operation::kCreateRecords,
                  "Create an account (search first: 409 with the matches; force + reason)",
                  {},
                  {201, 400, 401, 403, 409},
                  true,
                  PostAccountRoute});
  out->push_back({"GET",
                  "/api/v1/accounts/{id}",
                  Operation::kReadRecords,
                  "An account with its contacts and latest interactions, with its ETag",
                  {},
                  {200, 401, 403, 404},
                  false,
                  GetAccountRoute});
  out->push_back({"PATCH",
                  "/api/v1/accounts/{id}",
                  Operation::kEditMasterData,
                  "Edit an account's fields (If-Match: 428 without, 412 when stale)",
                  {},
                  {200, 400, 401, 403, 404, 409, 412, 428},
                  false,
                  PatchAccountRoute});
  out->push_back({"POST",
                  "/api/v1/contacts",
                  Operation::kCreateRecords,
                  "Create a contact (search first: 409 with the matches; force + reason)",
                  {},
                  {201, 400, 401, 403, 409},
                  true,
                  PostContactRoute});
  out->push_back({"GET",
                  "/api/v1/contacts/{id}",
                  Operation::kReadRecords,
                  "A contact with its account's name and latest interactions",
                  {},
                  {200, 401, 403, 404},
                  false,
                  GetContactRoute});
  out->push_back({"PATCH",
                  "/api/v1/contacts/{id}",
                  Operation::kEditMasterData,
                  "Edit a contact's fields (If-Match: 428 without, 412 when stale)",
                  {},
                  {200, 400, 401, 403, 404, 409, 412, 428},
                  false,
                  PatchContactRoute});
  out->push_back({"GET",
                  "/api/v1/interactions/{id}",
                  Operation::kReadRecords,
                  "One interaction",
                  {},
                  {200, 401, 403, 404},
                  false,
                  GetInteractionRoute});
  out->push_back({"POST",
                  "/api/v1/interactions",
                  Operation::kLogInteractions,
                  "Log an interaction (Idempotency-Key: a retry returns the first answer)",
                  {},
                  {201, 400, 401, 403},
                  true,
                  PostInteractionRoute});
}

}  // namespace cx::api
