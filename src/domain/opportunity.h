// Opportunity: a lead, inquiry, deal or distributor signing, with its stage history.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/custom_fields.h"

namespace cx {

struct StageEntry {
  std::string opportunity_id;
  std::string stage;
  Timestamp entered = 0;
  std::string by;
};

struct Opportunity {
  std::string id;  // "O-000123"
  std::string account_id;
  std::string division;
  std::string owner;
  std::optional<double> amount;
  std::string stage;
  Timestamp created = 0;
  std::optional<Timestamp> closed;
  std::string outcome = "open";  // open, won, lost
  std::string lost_reason;
  std::string title;
  CustomFields custom;
};

// Errors: kInvalid naming every bad field.
Status ValidateOpportunity(Opportunity* o);

}  // namespace cx
