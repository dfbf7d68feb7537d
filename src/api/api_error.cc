// The API's error answers and the mapping of Status codes to HTTP statuses.
#include "api/api_error.h"

namespace cx::api {

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  // Invalid UTF-8 that reached a record is replaced, never a failed answer.
  return JsonTextResponse(status,
                          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

HttpResponse JsonTextResponse(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  // A browser never reads a JSON answer as HTML, whatever a record's text holds.
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           nlohmann::json fields) {
  return JsonResponse(
      status, {{"error", {{"code", code}, {"message", message}, {"fields", std::move(fields)}}}});
}

namespace {

// "name: is required" → ("name", "is required") when the part before ": " looks like a field
// name (words, perhaps dotted; spaces become '_'); a prefix that is not ("the file (x): …") is
// skipped.
bool SplitField(const std::string& text, std::string* field, std::string* problem) {
  size_t start = 0;
  while (true) {
    size_t colon = text.find(": ", start);
    if (colon == std::string::npos) return false;
    std::string head = text.substr(start, colon - start);
    bool word = !head.empty();
    for (char& c : head) {
      if (c == ' ') c = '_';  // "next action" is the field next_action
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
        word = false;
    }
    if (word) {
      *field = head;
      *problem = text.substr(colon + 2);
      return true;
    }
    start = colon + 2;
  }
}

}  // namespace

HttpResponse FromStatus(const Status& st) {
  int status = 500;
  std::string code = "internal";
  switch (st.code()) {
    case Code::kOk:
      return JsonResponse(200, nlohmann::json::object());
    case Code::kInvalid:
      status = 400;
      code = "invalid";
      break;
    case Code::kNotFound:
      status = 404;
      code = "not_found";
      break;
    case Code::kConflict:
      status = 409;
      code = "conflict";
      break;
    case Code::kForbidden:
      status = 403;
      code = "forbidden";
      break;
    case Code::kInternal:
      break;
  }
  nlohmann::json fields = nlohmann::json::object();
  std::string message = st.message();
  if (st.code() == Code::kInvalid) {
    std::string f, p;
    if (st.details().empty() && SplitField(st.message(), &f, &p)) fields[f] = p;
    for (const auto& d : st.details()) {
      if (SplitField(d, &f, &p) && !fields.contains(f)) fields[f] = p;
    }
  }
  for (const auto& d : st.details()) message += "\n" + d;
  return ErrorResponse(status, code, message, std::move(fields));
}

}  // namespace cx::api
