// The go-live kit's one-page guide for a role (docs/strategy.md): printable HTML written from the
// hub's real configuration (divisions, journeys, SLAs) and its rules of who may do what.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/journey.h"

namespace cx {

// The roles a guide is written for: sales, service, steward, manager.
std::span<const std::string_view> GuideRoles();

// The page for `role` (one of GuideRoles): why the hub helps that role (the strategy's
// "what's in it for me"), the rules everyone keeps, each division's journey with its stages,
// checklists and SLA clocks, what the role may do (domain/rules.h), the page's keyboard
// shortcuts, and the commands of the role. Self-contained, one A4 page. Errors: kInvalid for
// another role.
Result<std::string> RenderGoLiveGuide(std::string_view role, const JourneyConfig& journeys);

}  // namespace cx
