// The route table's vocabulary: a route (method, path pattern, operation, handler) and the
// call a handler gets, with the helpers every handler uses to read its input.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/server.h"
#include "service/access_service.h"
#include "service/context.h"

namespace cx::api {

// One request on its way through a handler.
struct Call {
  Call(const HttpRequest& r, Context c) : req(r), ctx(std::move(c)) {}
  const HttpRequest& req;
  Context ctx;                                // the worker's store; actor = the caller's login
  std::optional<User> user;                   // nullopt on a public route
  bool by_cookie = false;                     // signed in by session cookie (not a token)
  std::map<std::string, std::string> params;  // {name} parts of the path
  std::map<std::string, std::string> query;   // decoded query parameters
  const AccessPolicy* policy = nullptr;
  bool secure_cookie = false;  // add Secure to cookies (served behind TLS)
};

using RouteFn = std::function<HttpResponse(Call&)>;

struct Route {
  std::string method;   // GET, POST, PATCH, DELETE
  std::string pattern;  // "/api/v1/accounts/{id}"
  // The access table's operation (api/access_rules.h); empty: no sign-in needed.
  std::string operation;
  std::string summary;                    // one line, for the OpenAPI document
  std::vector<std::string> query_params;  // the only ones accepted (others: 400)
  std::vector<int> statuses;              // the answers it gives, for the document
  bool idempotency_key = false;           // honours Idempotency-Key
  RouteFn fn;
};

// Every route of the API, in the order the OpenAPI document lists them.
const std::vector<Route>& Routes();
// The route groups (one file each).
void AddSessionRoutes(std::vector<Route>* out);  // session_api.cc
void AddRecordRoutes(std::vector<Route>* out);   // records_api.cc
void AddMetaRoutes(std::vector<Route>* out);     // meta_api.cc: healthz, openapi.json
void AddSurveyRoutes(std::vector<Route>* out);   // survey_api.cc: the public survey page

// The OpenAPI 3 document of Routes().
nlohmann::json OpenApiDocument();

// The value of the cxhub_session cookie, or "".
std::string SessionCookie(const HttpRequest& req);

// Parses the request body as a JSON object. On failure returns false and sets *err to the
// 400 answer naming the problem (bad JSON with its position, not an object).
bool ReadJsonObject(const Call& c, nlohmann::json* out, HttpResponse* err);

// Reads the fields of a JSON object, collecting every problem (unknown field, wrong type,
// missing) so that one 400 names them all.
class FieldReader {
 public:
  FieldReader(const nlohmann::json& body, std::initializer_list<const char*> known);
  // A text field; nullopt when absent (a problem when `required`) or not a string (null is
  // absent).
  std::optional<std::string> Text(const char* name, bool required = false);
  std::optional<bool> Bool(const char* name);
  bool ok() const { return problems_.empty(); }
  // The 400 answer listing every problem.
  HttpResponse Error() const;

 private:
  const nlohmann::json& body_;
  nlohmann::json problems_ = nlohmann::json::object();
};

// A positive whole number from the query (`name`), else `fallback`; above `max` or not a
// number is a problem: returns false with *err the 400 answer.
bool QueryInt(const Call& c, const char* name, int fallback, int max, int* out, HttpResponse* err);

}  // namespace cx::api
