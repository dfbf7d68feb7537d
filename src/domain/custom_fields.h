// Custom fields: extra named text values on any record (unknown workbook columns, admin fields).
#pragma once

#include <map>
#include <string>

#include "base/status.h"

namespace cx {

// Field name → value. Ordered so that exports are stable.
using CustomFields = std::map<std::string, std::string>;

// JSON object text for storage, and back. Errors: kInvalid on malformed JSON.
std::string CustomFieldsToJson(const CustomFields& f);
Result<CustomFields> CustomFieldsFromJson(const std::string& json);

}  // namespace cx
