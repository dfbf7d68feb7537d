// Custom fields as a JSON object.
#include "domain/custom_fields.h"

#include <nlohmann/json.hpp>

namespace cx {

std::string CustomFieldsToJson(const CustomFields& f) {
  if (f.empty()) return "{}";
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : f) j[k] = v;
  return j.dump();
}

Result<CustomFields> CustomFieldsFromJson(const std::string& json) {
  CustomFields out;
  // Most records have none ("{}", as CustomFieldsToJson writes it): a read of a record list
  // (an account view's 50 interactions) then parses nothing.
  if (json.empty() || json == "{}") return out;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Invalid("custom fields are not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    out[it.key()] = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
  }
  return out;
}

}  // namespace cx
