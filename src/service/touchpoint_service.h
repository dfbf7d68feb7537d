// Touchpoints (the inventory of seed 004's first step), an opportunity's Source Touchpoint and a
// contact's newsletter subscription (docs/feedback.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/journey.h"
#include "domain/touchpoint.h"
#include "service/context.h"

namespace cx {

// Canonicalises `stage` to the spelling of the journey of `division`. An empty stage is fine;
// for a company-wide touchpoint ("All") any stage of any journey is. Errors: kInvalid naming
// the stage, the division and its stages.
Status CheckJourneyStage(const JourneyConfig& journeys, const std::string& division,
                         std::string* stage);

// Creates a touchpoint (id T-NNNNNN unless given; owner linked to a user when one matches).
// Only a manager or admin (or the console) may. Audited. Errors: kInvalid naming every bad
// field (a stage not in the division's journey too), kConflict (the id exists), kForbidden.
Result<Touchpoint> AddTouchpoint(const Context& ctx, Touchpoint t);

// The fields an edit changes; unset ones stay.
struct TouchpointEdit {
  std::optional<std::string> name, division, stage, channel, owner;
  std::optional<double> yearly_budget;
};
// Changes a touchpoint, auditing each changed field. Errors as AddTouchpoint, plus kNotFound.
Result<Touchpoint> EditTouchpoint(const Context& ctx, const std::string& id,
                                  const TouchpointEdit& edit);

// Every touchpoint of `division` ("" = all; a division also lists the company-wide ones),
// by id, people shown by full name. Errors: kInvalid for an unknown division.
Result<std::vector<Touchpoint>> ListTouchpoints(const Context& ctx, const std::string& division);

// Sets (or with "" clears) an opportunity's Source Touchpoint inside `tx`, auditing the change.
// Errors: kInvalid when the touchpoint does not exist.
Status SetSourceTouchpoint(Tx& tx, const Context& ctx, const std::string& opportunity_id,
                           const std::string& touchpoint_id, const std::string& reason = "");

// Checks a newsletter date typed by a person ("" clears) and gives it as YYYY-MM-DD.
// Errors: kInvalid naming the text.
Result<std::string> NewsletterDate(const std::string& text);
// Sets (or clears) a contact's newsletter subscription date inside `tx`, auditing the change.
// `date` is YYYY-MM-DD or "". Errors: kNotFound when the contact does not exist.
Status SetNewsletterIn(Tx& tx, const Context& ctx, const std::string& contact_id,
                       const std::string& date, const std::string& reason = "");
// The same in its own transaction, with the acting user's right to change records.
Status SetNewsletter(const Context& ctx, const std::string& contact_id, const std::string& text);

}  // namespace cx
