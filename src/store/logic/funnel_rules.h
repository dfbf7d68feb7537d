// The rules of the funnel aggregate (docs/kpi.md): one row per opportunity with the earliest
// entry of each funnel stage and its first response by its owner. Every backend keeps it with
// these rules.
#pragma once

#include <optional>
#include <string>

#include "base/time.h"
#include "store/logic/kpi_people.h"

namespace cx {

// The stages the aggregate keeps the first entry of (stage names without case), in the order of
// KpiFunnelRow's qualified, quote, proposal, won, signed_at.
inline constexpr const char* kFunnelStages[] = {"qualified", "quote", "proposal", "won", "signed"};

// The first response by `owner` among an opportunity's interactions (time, logged by) in time
// order: the earliest logged by the same person. `next` yields them (copying the text) and
// returns false at the end; every one is read.
template <typename Next>
std::optional<Timestamp> FirstResponse(const KpiPeople& people, const std::string& owner,
                                       Next next) {
  std::string who = people.Of(owner);
  Timestamp at = 0;
  std::string by;
  std::optional<Timestamp> found;
  while (next(&at, &by)) {
    if (!found && !who.empty() && people.Of(by) == who) found = at;
  }
  return found;
}

}  // namespace cx
