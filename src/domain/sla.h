// SLA clocks (docs/journeys.md): their kinds, states and the pure rule that gives a state at a
// moment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "domain/calendar.h"

namespace cx {

// Worst first: the order in which `sla` lists them.
enum class SlaState { kBreached = 0, kAtRisk = 1, kRunning = 2, kMet = 3 };

// "breached", "at-risk", "running", "met".
std::string_view SlaStateName(SlaState s);

// One clock's rule: the three kinds of docs/journeys.md are "inquiry", "lead" and "quality-flag".
struct SlaRule {
  std::string kind;
  std::string division;   // the division whose records it clocks
  int64_t allowance = 0;  // seconds, of business time when business_hours
  bool business_hours = false;
};

// One clock's facts. `stopped` is the first qualifying stop at or before the
// moment asked about (later stops must be left out by whoever builds it).
struct SlaClock {
  Timestamp started = 0;
  Timestamp due = 0;
  std::optional<Timestamp> stopped;
};

// The facts of one opportunity's response clock as the store reads them at a moment.
struct SlaOpportunityFacts {
  std::string id, division, owner;
  Timestamp created = 0;
  std::optional<Timestamp>
      first_response;  // first interaction carrying its id, at or before the moment
  std::optional<Timestamp> first_owner_response;  // … of those, the first logged by its owner
};

// The facts of one case's clock.
struct SlaCaseFacts {
  std::string id, division, owner;
  Timestamp opened = 0;
  std::optional<Timestamp> resolution_confirmed;  // left out when after the moment
};

// The due time of a clock started at `started` under `rule`.
Timestamp SlaDue(const SlaRule& rule, Timestamp started, const BusinessCalendar& cal);

// The state at `at` (docs/journeys.md): stopped at/before `at` → met if stop <= due else breached;
// otherwise breached if at > due, at-risk if less than 25 % of the allowance is left
// (in the clock's own time), else running. A stop after `at` is ignored.
SlaState SlaStateAt(const SlaRule& rule, const SlaClock& clock, Timestamp at,
                    const BusinessCalendar& cal);

}  // namespace cx
