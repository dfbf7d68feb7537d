// GET /healthz and GET /api/v1/openapi.json (the document is made from the route table, so
// it lists exactly the routes the server answers).
#include <set>

#include "api/api_error.h"
#include "api/route.h"
#include "domain/division.h"

namespace cx::api {

namespace {

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad JSON, a bad field or query parameter (named in error.fields)";
    case 401:
      return "Not signed in";
    case 403:
      return "The role may not do this, or the X-CSRF-Token is missing or wrong";
    case 404:
      return "No such record";
    case 409:
      return "A rule refused it (a probable duplicate: error.matches)";
    case 412:
      return "Stale If-Match: the record changed since it was read";
    case 413:
      return "The body is too large";
    case 415:
      return "The body is not of a type the route reads (its Content-Type)";
    case 422:
      return "The Idempotency-Key was used for a different request";
    case 428:
      return "If-Match is required";
    case 429:
      return "Too many failed logins";
    default:
      return "Answer";
  }
}

nlohmann::json ErrorSchema() {
  return {{"type", "object"},
          {"required", {"error"}},
          {"properties",
           {{"error",
             {{"type", "object"},
              {"required", {"code", "message", "fields"}},
              {"properties",
               {{"code", {{"type", "string"}}},
                {"message", {{"type", "string"}}},
                {"fields", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}},
                {"matches", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}}}};
}

HttpResponse Healthz(Call&) {
  HttpResponse r = JsonResponse(200, {{"status", "ok"}});
  return r;
}

HttpResponse OpenApi(Call&) { return JsonResponse(200, OpenApiDocument()); }

}  // namespace

nlohmann::json OpenApiDocument() {
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& r : Routes()) {
    nlohmann::json op = {{"summary", r.summary}, {"operationId", r.method + " " + r.pattern}};
    nlohmann::json params = nlohmann::json::array();
    size_t p = 0;
    while ((p = r.pattern.find('{', p)) != std::string::npos) {
      size_t e = r.pattern.find('}', p);
      params.push_back({{"name", r.pattern.substr(p + 1, e - p - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
      p = e;
    }
    for (const auto& q : r.query_params)
      params.push_back({{"name", q}, {"in", "query"}, {"schema", {{"type", "string"}}}});
    if (r.idempotency_key) {
      params.push_back(
          {{"name", "Idempotency-Key"}, {"in", "header"}, {"schema", {{"type", "string"}}}});
    }
    if (r.method == "PATCH" || r.method == "PUT") {
      params.push_back({{"name", "If-Match"},
                        {"in", "header"},
                        {"required", r.method == "PATCH"},
                        {"schema", {{"type", "string"}}}});
    }
    if (r.method == "PUT") {  // the first version of a document: If-None-Match: *
      params.push_back(
          {{"name", "If-None-Match"}, {"in", "header"}, {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    // A page outside /api/ (the survey page) is HTML for people: its form posts urlencoded
    // fields and its errors are pages too.
    const bool page = r.pattern.rfind("/api/", 0) != 0 && !r.download_types.empty();
    if (page && r.method == "POST") {
      op["requestBody"] = {
          {"required", true},
          {"content", {{"application/x-www-form-urlencoded", {{"schema", {{"type", "object"}}}}}}}};
    } else if (r.form) {
      op["requestBody"] = {
          {"required", true},
          {"content", {{"multipart/form-data", {{"schema", {{"type", "object"}}}}}}}};
    } else if (!r.body_types.empty()) {
      for (const auto& type : r.body_types)
        op["requestBody"]["content"][type] = {{"schema", {{"type", "string"}}}};
      op["requestBody"]["required"] = true;
    } else if (r.method == "POST" || r.method == "PATCH" || r.method == "PUT") {
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    }
    // What every route may answer besides its own: 400 (an unknown query parameter), 401 and
    // 403 (signing in, the rules table, CSRF), 409 and 422 (Idempotency-Key in progress or
    // reused), 412 and 428 (If-Match on a PATCH or PUT).
    std::set<int> statuses(r.statuses.begin(), r.statuses.end());
    statuses.insert(400);
    if (r.op) statuses.insert({401, 403});
    if (r.idempotency_key) statuses.insert({409, 422});
    if (r.method == "PATCH" || r.method == "PUT") statuses.insert({412, 428});
    nlohmann::json responses = nlohmann::json::object();
    for (int s : statuses) {
      nlohmann::json resp = {{"description", Reason(s)}};
      if (s >= 400 && page) {
        for (const auto& type : r.download_types)
          resp["content"][type] = {{"schema", {{"type", "string"}}}};
      } else if (s >= 400) {
        resp["content"] = {
            {"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}};
      } else if (s != 204 && !r.download_types.empty()) {
        for (const auto& type : r.download_types) {
          resp["content"][type] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
        }
      } else if (s != 204) {
        nlohmann::json schema = r.schema.is_null() ? nlohmann::json{{"type", "object"}} : r.schema;
        resp["content"] = {{"application/json", {{"schema", schema}}}};
      }
      responses[std::to_string(s)] = resp;
    }
    op["responses"] = responses;
    if (!r.op) {
      op["security"] = nlohmann::json::array();
    } else {
      const OperationRule& rule = OperationRules()[size_t(*r.op)];
      std::string roles;
      for (std::string_view role : Roles()) {
        Reach reach = ReachOf(role, *r.op);
        if (reach == Reach::kNone) continue;
        roles += (roles.empty() ? "" : ", ") + std::string(role);
        if (reach == Reach::kOwnDivisions) roles += " (of their divisions)";
      }
      op["x-cxhub-operation"] = rule.what;
      op["x-cxhub-roles"] = roles;
    }
    std::string method = r.method;
    for (char& ch : method) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    paths[r.pattern][method] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "cxhub API"},
            {"version", "1"},
            {"description", "The customer-experience hub's JSON API (docs/api.md)."}}},
          {"paths", paths},
          {"components",
           {{"schemas", {{"Error", ErrorSchema()}}},
            {"securitySchemes",
             {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "cxhub_session"}}},
              {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
          {"security",
           {{{"session", nlohmann::json::array()}}, {{"bearer", nlohmann::json::array()}}}}};
}

void AddMetaRoutes(std::vector<Route>* out) {
  out->push_back({"GET",
                  "/healthz",
                  std::nullopt,
                  "Liveness: 200 while the server runs",
                  {},
                  {200},
                  false,
                  Healthz});
  out->push_back(
      {"GET", "/api/v1/openapi.json", std::nullopt, "This document", {}, {200}, false, OpenApi});
}

}  // namespace cx::api
