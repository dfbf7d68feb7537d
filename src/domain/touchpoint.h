// Touchpoint: a point of contact between customer and company (a showroom visit, the WhatsApp
// line, a trade fair stand) with its division, journey stage, channel, owner and yearly budget.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/time.h"

namespace cx {

struct Touchpoint {
  std::string id;  // "T-000123"
  std::string name;
  std::string division;      // a division, or "All" (company-wide)
  std::string stage;         // a stage of that division's journey; empty for "All"
  std::string channel;       // free text ("showroom", "WhatsApp", "trade fair")
  std::string owner;         // a person (linked to a user when one matches)
  double yearly_budget = 0;  // naira
  Timestamp created_at = 0, updated_at = 0;
};

// How a feedback row reached the hub: survey, form, import, staff.
std::span<const std::string_view> FeedbackSources();

// Checks and canonicalises the fields a touchpoint holds on its own (name required, division one
// of the divisions or "All", budget a finite number ≥ 0, texts that fit a cell). Whether the stage
// is in the division's journey needs the configuration: the service checks it.
// Errors: kInvalid naming every bad field.
Status ValidateTouchpoint(Touchpoint* t);

}  // namespace cx
