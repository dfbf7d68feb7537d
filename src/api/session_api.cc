// POST /api/v1/session (log in), GET (who am I), DELETE (log out).
#include "api/api_error.h"
#include "api/route.h"

namespace cx::api {

namespace {

// Longer passwords are refused before hashing: argon2id over megabytes is a way to make a
// server work hard for nothing.
constexpr size_t kMaxPassword = 1024;

std::string Cookie(const Call& c, const std::string& value, bool expire) {
  std::string s = "cxhub_session=" + value + "; Path=/; HttpOnly; SameSite=Lax";
  if (c.secure_cookie) s += "; Secure";
  if (expire) s += "; Max-Age=0";
  return s;
}

HttpResponse LogIn(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"login", "password"});
  auto login = f.Text("login", true);
  auto password = f.Text("password", true);
  if (!f.ok()) return f.Error();
  if (password->size() > kMaxPassword) {
    return ErrorResponse(400, "invalid", "password: longer than 1024 bytes",
                         {{"password", "longer than 1024 bytes"}});
  }
  auto r = Login(c.Writing(), *login, *password, c.client, SessionCookie(c.req), *c.policy);
  if (!r.ok()) return FromStatus(r.status());
  if (r->outcome == LoginOutcome::kThrottled) {
    HttpResponse t =
        ErrorResponse(429, "throttled", "too many failed logins; wait a few minutes and try again");
    t.headers.emplace_back("Retry-After", std::to_string(c.policy->failure_window_seconds));
    return t;
  }
  if (r->outcome == LoginOutcome::kRefused) {
    return ErrorResponse(401, "unauthenticated", "wrong login or password");
  }
  HttpResponse ok = JsonResponse(200, {{"login", r->user.login},
                                       {"name", r->user.name},
                                       {"role", r->user.role},
                                       {"division", r->user.division},
                                       {"csrf_token", r->csrf_token}});
  ok.headers.emplace_back("Set-Cookie", Cookie(c, r->session_token, false));
  ok.user = r->user.login;
  return ok;
}

HttpResponse WhoAmI(Call& c) {
  return JsonResponse(200, {{"login", c.user->login},
                            {"name", c.user->name},
                            {"role", c.user->role},
                            {"division", c.user->division}});
}

HttpResponse LogOut(Call& c) {
  std::string token = SessionCookie(c.req);
  if (!token.empty()) {
    Status st = EndSession(c.Writing(), token);
    if (!st.ok()) return FromStatus(st);
  }
  HttpResponse r;
  r.status = 204;
  r.body.clear();
  r.headers.emplace_back("Set-Cookie", Cookie(c, "", true));
  return r;
}

}  // namespace

void AddSessionRoutes(std::vector<Route>* out) {
  out->push_back({"POST",
                  "/api/v1/session",
                  std::nullopt,
                  "Log in with login and password",
                  {},
                  {200, 400, 401, 429},
                  false,
                  LogIn});
  out->push_back({"GET",
                  "/api/v1/session",
                  Operation::kSignIn,
                  "The signed-in user",
                  {},
                  {200, 401},
                  false,
                  WhoAmI});
  out->push_back({"DELETE",
                  "/api/v1/session",
                  Operation::kSignIn,
                  "Log out (ends the session)",
                  {},
                  {204, 401, 403},
                  false,
                  LogOut});
}

}  // namespace cx::api
