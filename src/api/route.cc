// The route table and the input helpers of handlers.
#include "api/route.h"

#include "api/api_error.h"

namespace cx::api {

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> out;
    AddMetaRoutes(&out);
    AddSessionRoutes(&out);
    AddRecordRoutes(&out);
    AddSurveyRoutes(&out);
    return out;
  }();
  return routes;
}

bool ReadJsonObject(const Call& c, nlohmann::json* out, HttpResponse* err) {
  try {
    *out = nlohmann::json::parse(c.req.body);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's message names the byte and what it expected ("syntax error while parsing
    // object - unexpected end of input; expected string literal").
    std::string what = e.what();
    auto pos = what.find("] ");
    *err = ErrorResponse(
        400, "bad_json",
        "the body is not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
    return false;
  }
  if (!out->is_object()) {
    *err = ErrorResponse(400, "bad_json", "the body must be a JSON object");
    return false;
  }
  return true;
}

FieldReader::FieldReader(const nlohmann::json& body, std::initializer_list<const char*> known)
    : body_(body) {
  for (const auto& [k, v] : body.items()) {
    bool ok = false;
    for (const char* name : known) ok = ok || k == name;
    if (!ok) problems_[k] = "is not a field of this request";
  }
}

std::optional<std::string> FieldReader::Text(const char* name, bool required) {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) {
    if (required) problems_[name] = "is required";
    return std::nullopt;
  }
  if (!it->is_string()) {
    problems_[name] = "must be a string";
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<bool> FieldReader::Bool(const char* name) {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    problems_[name] = "must be true or false";
    return std::nullopt;
  }
  return it->get<bool>();
}

HttpResponse FieldReader::Error() const {
  std::string msg = "the request has bad fields:";
  for (const auto& [k, v] : problems_.items()) msg += " " + k + " " + v.get<std::string>() + ";";
  msg.pop_back();
  return ErrorResponse(400, "invalid", msg, problems_);
}

bool QueryInt(const Call& c, const char* name, int fallback, int max, int* out, HttpResponse* err) {
  auto it = c.query.find(name);
  if (it == c.query.end() || it->second.empty()) {
    *out = fallback;
    return true;
  }
  long long v = 0;
  bool digits = it->second.size() <= 9;
  for (char ch : it->second) {
    if (ch < '0' || ch > '9') digits = false;
    if (digits) v = v * 10 + (ch - '0');
  }
  if (!digits || v < 1 || v > max) {
    std::string msg = "must be a whole number from 1 to " + std::to_string(max);
    *err = ErrorResponse(400, "invalid", std::string(name) + ": " + msg, {{name, msg}});
    return false;
  }
  *out = int(v);
  return true;
}

}  // namespace cx::api
