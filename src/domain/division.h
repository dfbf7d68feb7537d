// The company's divisions and the closed vocabularies of the data model (docs/data-model.md).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cx {

// "Motors", "Power & Industrial", "Medical", "GRAS", "Cube 65".
std::span<const std::string_view> Divisions();
// The canonical spelling of a division typed any which way ("power and industrial",
// " MOTORS "), or nullopt when it is none of them.
std::optional<std::string> CanonicalDivision(std::string_view text);

// Canonical member of a closed vocabulary, compared ignoring case, spaces, '-' and '_'.
std::optional<std::string> CanonicalIn(std::string_view text,
                                       std::span<const std::string_view> allowed);

std::span<const std::string_view>
AccountTypes();  // customer, prospect, distributor, target-distributor
std::span<const std::string_view>
Channels();  // phone, email, whatsapp, visit, meeting, walk-in, web, other
std::span<const std::string_view> CaseKinds();  // after-sales, quality-flag, complaint, service-job
std::span<const std::string_view>
FeedbackKinds();                               // nps, csat, review, emotion, hub (staff on the hub)
std::span<const std::string_view> Roles();     // sales, service, steward, manager, admin, erp
std::span<const std::string_view> Outcomes();  // open, won, lost

// "a, b, c" for messages.
std::string JoinForMessage(std::span<const std::string_view> items);

}  // namespace cx
