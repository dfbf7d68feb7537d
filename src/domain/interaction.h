// Interaction: one meaningful conversation with a contact (docs/data-model.md).
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "domain/custom_fields.h"

namespace cx {

struct Interaction {
  std::string id;  // "I-000123"
  Timestamp at = 0;
  std::string contact_id;
  std::string channel;  // phone, email, whatsapp, visit, meeting, walk-in, web, other
  std::string notes;
  std::string next_action;
  std::optional<Timestamp> next_action_due;
  std::string next_action_owner;  // defaults to logged_by
  bool next_action_done = false;
  std::string logged_by;
  std::string division;
  std::string type;  // e.g. inquiry, lead, negotiation, service, qbr (see journeys)
  std::string opportunity_id;
  std::string case_id;
  std::string checklist;  // JSON object: item → answer
  CustomFields custom;
  Timestamp created_at = 0;
};

// Errors: kInvalid naming every bad field.
Status ValidateInteraction(Interaction* i);

}  // namespace cx
