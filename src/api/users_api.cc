// One user read and edited (role, division, name, away) with an entity tag, and the rules
// table of roles the Admin screen offers (docs/web.md, docs/people.md).
#include <algorithm>

#include "api/route.h"
#include "base/sha256.h"
#include "domain/division.h"
#include "render/json_out.h"
#include "service/user_edit.h"
#include "service/user_service.h"

namespace cx::api {

namespace {

// The entity tag of a user: a hash of what the API shows of them (their password is edited
// through its own route and never shown), so any change of those fields gives a new tag.
std::string UserTag(const User& u) {
  const std::string text = ToJson(u).dump();
  Sha256 h;
  h.Update(text.data(), text.size());
  auto d = h.HexDigest();
  return "\"user-" + (d.ok() ? d->substr(0, 32) : std::string("0")) + "\"";
}

// The user as the list shows them (with `disabled`), and their tag.
HttpResponse UserAnswer(const Context& ctx, const User& u) {
  auto disabled = IsDisabled(ctx, u.login);
  if (!disabled.ok()) return FromStatus(disabled.status());
  nlohmann::json j = ToJson(u);
  j["disabled"] = *disabled;
  HttpResponse r = JsonResponse(200, j);
  r.headers.emplace_back("ETag", UserTag(u));
  return r;
}

HttpResponse GetUserRoute(Call& c) {
  std::optional<User> u;
  Status st = c.Reading().store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(u, tx.GetUser(c.params["login"]));
    return Status::Ok();
  });
  if (!st.ok()) return FromStatus(st);
  if (!u) return ErrorResponse(404, "not_found", "user '" + c.params["login"] + "' does not exist");
  return UserAnswer(c.Reading(), *u);
}

HttpResponse PatchUserRoute(Call& c) {
  const std::string* if_match = c.req.Header("if-match");
  if (!if_match) {
    return ErrorResponse(428, "precondition_required",
                         "an edit needs If-Match with the ETag of the user as read");
  }
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"name", "role", "division", "away"});
  UserChange change;
  change.name = f.Text("name");
  change.role = f.Text("role");
  change.division = f.Text("division");
  change.away = f.Bool("away");
  if (!f.ok()) return f.Error();
  bool stale = false;
  auto r = ChangeUser(c.Writing(), c.params["login"], change, [&](const User& stored) -> Status {
    if (UserTag(stored) == *if_match) return Status::Ok();
    stale = true;
    return Conflict("stale");
  });
  if (stale) {
    return ErrorResponse(412, "stale",
                         "the user changed since it was read (If-Match does not match its "
                         "ETag); read it again and redo the edit");
  }
  if (!r.ok() && r.status().code() == Code::kConflict) {
    // The last admin: the field it is about is the role.
    const std::string& m = r.status().message();
    return ErrorResponse(409, "conflict", m,
                         {{"role", m.substr(std::min(m.size(), m.find(": ") + 2))}});
  }
  if (!r.ok()) return FromStatus(r.status());
  return UserAnswer(c.Writing(), *r);
}

const char* ReachName(Reach r) {
  switch (r) {
    case Reach::kNone:
      return "none";
    case Reach::kOwnDivisions:
      return "own divisions";
    case Reach::kAll:
      return "all";
  }
  return "none";
}

// The rules table (domain/rules.h) as data: each role, what it may do and how far, and
// whether a division limits it; the page shows controls by it rather than by a copy.
HttpResponse RolesRoute(Call& c) {
  (void)c;
  nlohmann::json roles = nlohmann::json::array();
  for (std::string_view role : Roles()) {
    nlohmann::json may = nlohmann::json::object();
    bool bound = false;
    for (const auto& rule : OperationRules()) {
      const Reach reach = ReachOf(role, rule.op);
      if (reach == Reach::kNone) continue;
      bound = bound || reach == Reach::kOwnDivisions;
      // Two operations share a name in refusals ("change an Account Owner"): the wider wins.
      auto& slot = may[rule.what];
      if (slot.is_null() || reach == Reach::kAll) slot = ReachName(reach);
    }
    roles.push_back(
        {{"role", std::string(role)}, {"division_bound", bound}, {"may", std::move(may)}});
  }
  nlohmann::json divisions = nlohmann::json::array();
  for (std::string_view d : Divisions()) divisions.push_back(std::string(d));
  return JsonResponse(200, {{"roles", std::move(roles)}, {"divisions", std::move(divisions)}});
}

}  // namespace

void AddUserRoutes(std::vector<Route>* out) {
  const auto U = Operation::kManageUsers;
  out->push_back({"GET",
                  "/api/v1/roles",
                  Operation::kSignIn,
                  "The roles and what each may do (the rules table), and the divisions",
                  {},
                  {200, 401},
                  false,
                  RolesRoute});
  out->push_back({"GET",
                  "/api/v1/users/{login}",
                  U,
                  "One user, with who is disabled and its ETag",
                  {},
                  {200, 401, 403, 404},
                  false,
                  GetUserRoute});
  out->push_back({"PATCH",
                  "/api/v1/users/{login}",
                  U,
                  "Change a user's {role, division, name, away} (If-Match: 428 without, 412 "
                  "when stale; 409 for the only admin's role)",
                  {},
                  {200, 400, 401, 403, 404, 409, 412, 428},
                  false,
                  PatchUserRoute});
}

}  // namespace cx::api
