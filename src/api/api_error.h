// The API's error answers: the one shape {"error": {"code", "message", "fields"}} and the one
// place where a service's Status becomes an HTTP status.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "api/server.h"
#include "base/status.h"

namespace cx::api {

// A JSON answer with `status` and `body`.
HttpResponse JsonResponse(int status, const nlohmann::json& body);
// The same for a body already written as JSON text (render/record_json_text.h).
HttpResponse JsonTextResponse(int status, std::string body);

// An error answer. `fields` maps a field name to what is wrong with it.
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           nlohmann::json fields = nlohmann::json::object());

// A service's failure as an answer: kInvalid 400, kNotFound 404, kConflict 409,
// kForbidden 403, kInternal 500. Details of the form "field: problem" become `fields`
// (the field being the part before the first ": ").
HttpResponse FromStatus(const Status& st);

}  // namespace cx::api
