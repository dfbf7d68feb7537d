// Case: an after-sales issue, complaint, quality flag or service job.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "domain/custom_fields.h"

namespace cx {

struct Case {
  std::string id;  // "K-000123"
  std::string account_id;
  std::string contact_id;
  std::string division;
  std::string kind;  // after-sales, quality-flag, complaint, service-job
  std::string summary;
  Timestamp opened = 0;
  std::optional<Timestamp> first_response;
  std::optional<Timestamp> resolution_confirmed;
  std::optional<Timestamp> closed;
  std::string owner;
  std::optional<Timestamp> quote_approved;  // service jobs: the service quote's approval
  std::optional<Timestamp> work_started;    // service jobs
  CustomFields custom;
};

// Errors: kInvalid naming every bad field.
Status ValidateCase(Case* c);

}  // namespace cx
