// Logging interactions: the hub's most frequent write.
#pragma once

#include <vector>

#include "service/context.h"

namespace cx {

// Logs one interaction. Its contact must exist and be live; an opportunity or case,
// when given, must exist. Logged By defaults to the acting user; the division
// defaults to the contact's account's only division. Errors: kInvalid naming
// every bad field, kConflict when the id exists. Nothing is written on error.
Result<Interaction> LogInteraction(const Context& ctx, Interaction i);

// Errors: kNotFound.
Result<Interaction> GetInteraction(const Context& ctx, const std::string& id);
Result<std::vector<Interaction>> ListInteractions(const Context& ctx, const InteractionFilter& f);

}  // namespace cx
