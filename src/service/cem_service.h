// The seven steps of customer-experience management as a checklist per year, with the evidence
// the hub computes from its own data (docs/strategy.md).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/golive.h"
#include "service/cem_evidence.h"
#include "service/context.h"

namespace cx {

// What the hub shows as evidence of one step: a sentence and the figures behind it.
struct CemEvidence {
  std::string summary;  // "no touchpoints recorded", "412 feedback rows in the last 90 days: …"
  nlohmann::json data;  // the figures (null when the hub computes nothing for the step)
};

// One step of one year: the seed's words, the state people set, the hub's evidence.
struct CemStepView {
  CemStepDef def;
  CemStepState state;      // "not-started" with no owner when never set
  std::string owner_name;  // the owner's full name
  CemEvidence evidence;
};

struct CemBoard {
  int year = 0;
  Timestamp at = 0;  // when the evidence was computed
  std::vector<CemStepView> steps;
};

// The year's seven steps with their evidence, read through `source` for touchpoints.
// Errors: kInvalid for a year outside 2000–2100; kInternal.
Result<CemBoard> ShowCem(const Context& ctx, int year, EvidenceSource& source);

// Changes a step of `year`: its status (CemStatuses), owner (a user by login or name, or a name
// as typed), note (replaces the note; audited). A step leaving not-started for the first time
// records the date (step 6's is the implementation date); `started` sets it explicitly. Only a
// manager or admin named with --as may. `precondition`, when given, sees the year's stored step
// states (those someone set, in step order) inside the transaction, after the role check and
// before anything is written, and its failure is returned as is (the API's If-Match).
// Errors: kInvalid (step, status, date), kForbidden.
struct CemChange {
  std::optional<std::string> status, owner, note;
  std::optional<Date> started;
};
Result<CemStepState> SetCemStep(
    const Context& ctx, int year, int step, const CemChange& change,
    const std::function<Status(const std::vector<CemStepState>& stored)>& precondition = nullptr);

// The current year in the hub's zone.
int CurrentYear(const Context& ctx);

}  // namespace cx
