// Contact: one person, usually at an account (docs/data-model.md).
#pragma once

#include <string>

#include "base/status.h"
#include "base/time.h"
#include "domain/custom_fields.h"

namespace cx {

struct Contact {
  std::string id;  // "C-000123"
  std::string full_name;
  std::string job_title;
  std::string account_id;  // Associated Account ID; may be empty for a private person
  std::string email, phone;
  CustomFields custom;
  std::string merged_into;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
};

// Errors: kInvalid naming every bad field.
Status ValidateContact(Contact* c);

}  // namespace cx
