// Administration: users (list with who is disabled, add, disable, enable, reset a password)
// and the audit log of a record.
#include "api/route.h"
#include "render/json_out.h"
#include "render/report_json.h"
#include "service/user_service.h"

namespace cx::api {

namespace {

constexpr size_t kMaxPassword = 1024;  // as at login: no argon2id over megabytes

HttpResponse UsersRoute(Call& c) {
  return Answer(UsersReport(c.Reading()), [](const nlohmann::json& j) { return j; });
}

HttpResponse PostUser(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"login", "role", "division", "name", "password", "away"});
  User u;
  u.login = f.Text("login", true).value_or("");
  u.role = f.Text("role", true).value_or("");
  u.division = f.Text("division").value_or("");
  u.name = f.Text("name").value_or("");
  u.away = f.Bool("away").value_or(false);
  std::string password = f.Text("password").value_or("");
  if (!f.ok()) return f.Error();
  if (password.size() > kMaxPassword) {
    return ErrorResponse(400, "invalid", "password: longer than 1024 bytes",
                         {{"password", "longer than 1024 bytes"}});
  }
  auto r = AddUser(c.Writing(), u, password);
  if (!r.ok()) return FromStatus(r.status());
  HttpResponse resp = JsonResponse(201, ToJson(*r));
  resp.headers.emplace_back("Location", "/api/v1/users/" + r->login);
  return resp;
}

HttpResponse SetDisabledRoute(Call& c, bool disabled) {
  if (!c.req.body.empty()) {
    nlohmann::json body;
    HttpResponse err;
    if (!ReadJsonObject(c, &body, &err)) return err;
    FieldReader f(body, {});
    if (!f.ok()) return f.Error();
  }
  Status st = SetDisabled(c.Writing(), c.params["login"], disabled);
  if (!st.ok()) return FromStatus(st);
  return JsonResponse(200, {{"login", c.params["login"]}, {"disabled", disabled}});
}

HttpResponse DisableRoute(Call& c) { return SetDisabledRoute(c, true); }
HttpResponse EnableRoute(Call& c) { return SetDisabledRoute(c, false); }

HttpResponse PasswordRoute(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"password"});
  auto password = f.Text("password", true);
  if (!f.ok()) return f.Error();
  if (password->size() > kMaxPassword) {
    return ErrorResponse(400, "invalid", "password: longer than 1024 bytes",
                         {{"password", "longer than 1024 bytes"}});
  }
  Status st = ResetPassword(c.Writing(), c.params["login"], *password);
  if (!st.ok()) return FromStatus(st);
  return JsonResponse(200, {{"login", c.params["login"]}, {"sessions_ended", true}});
}

// The audit log of one record (entity_id), or filtered by actor and action; newest first.
HttpResponse AuditRoute(Call& c) {
  AuditFilter f;
  f.entity_id = QueryText(c, "entity_id");
  f.actor = QueryText(c, "actor");
  f.action = QueryText(c, "action");
  HttpResponse err;
  if (!QueryInt(c, "limit", 200, 5000, &f.limit, &err)) return err;
  std::vector<AuditEntry> entries;
  Status st = c.Reading().store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(entries, tx.ListAudit(f));
    return Status::Ok();
  });
  if (!st.ok()) return FromStatus(st);
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : entries) arr.push_back(ToJson(e, c.ctx.zone));
  return JsonResponse(200, {{"entries", arr}});
}

}  // namespace

void AddAdminRoutes(std::vector<Route>* out) {
  const auto U = Operation::kManageUsers;
  const std::vector<int> write = {200, 400, 401, 403, 404};
  out->push_back({"GET",
                  "/api/v1/users",
                  U,
                  "Users, with who is disabled (= user list --json)",
                  {},
                  {200, 401, 403},
                  false,
                  UsersRoute});
  out->push_back({"POST",
                  "/api/v1/users",
                  U,
                  "Add (or update) a user {login, role, division, name, password, away}",
                  {},
                  {201, 400, 401, 403},
                  true,
                  PostUser});
  out->push_back({"POST",
                  "/api/v1/users/{login}/disable",
                  U,
                  "Disable a user: sessions end, tokens stop working",
                  {},
                  write,
                  true,
                  DisableRoute});
  out->push_back({"POST",
                  "/api/v1/users/{login}/enable",
                  U,
                  "Let a disabled user sign in again",
                  {},
                  write,
                  true,
                  EnableRoute});
  out->push_back({"POST",
                  "/api/v1/users/{login}/password",
                  U,
                  "Set a new password {password}; ends the user's sessions",
                  {},
                  write,
                  true,
                  PasswordRoute});
  out->push_back({"GET",
                  "/api/v1/audit",
                  Operation::kReadRecords,
                  "The audit log, newest first: of a record (entity_id), by actor or action",
                  {"entity_id", "actor", "action", "limit"},
                  {200, 400, 401, 403},
                  false,
                  AuditRoute});
}

}  // namespace cx::api
