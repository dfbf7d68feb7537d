// The journeys as one JSON document (docs/journeys.md), made once for both doors: `config show
// --json` prints it and GET /api/v1/journeys answers it. The web page's pipeline board reads its
// columns (stages in order), each column's checklists and SLA clocks from it.
#pragma once

#include <nlohmann/json.hpp>

#include "domain/calendar.h"
#include "domain/journey.h"

namespace cx {

// {"journeys": [{"division", "won_stage", "lost_stage", "service_job_needs_approved_quote",
//   "stages": [{"name", "outcome" ("open" before the won stage, "won", "after-won"),
//     "checklists": [{"name", "title", "required_for", "items": [{"key", "label",
//       "required"}]}] (those that must be complete to enter this stage: they also bar later
//       stages), "next_actions": [{"action", "due_days", "owner"}] (made on entering it),
//     "slas": [{"kind", "hours", "business_hours", "stops"}] (the opportunity clocks started
//       when an opportunity is created at the first stage)}],
//   "case_slas": [same shape] (the clocks of the division's cases)}],
//  "calendar": {"zone", "working_days": ["Monday", …], "hours": "08:00-17:00",
//   "fixed_holidays": ["MM-DD", …], "dated_holidays": ["YYYY-MM-DD", …]}}
// (the business calendar the business-hours clocks count in), journeys in the configuration's
// order.
nlohmann::json JourneysJson(const JourneyConfig& config, const CalendarSpec& calendar);

}  // namespace cx
