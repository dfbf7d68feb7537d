// The customer-experience programme as data (docs/strategy.md): the seven steps of
// customer-experience management, the discovery questionnaire and the phased go-live plan,
// with the shipped lists they start from (config/discovery.toml, config/golive_plan.toml).
// Pure: no I/O.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/order.h"

namespace cx {

// One of the seven steps as seed 004 words it.
struct CemStepDef {
  int number = 0;  // 1…7
  std::string_view title;
  std::string_view what;  // the seed's bullets, joined
};
// The seven steps in order.
std::span<const CemStepDef> CemSteps();

// The state of one step in one year, as people set it.
struct CemStepState {
  int year = 0, step = 0;
  std::string status = "not-started";  // CemStatuses()
  std::string owner;                   // login or name as typed (people links)
  std::string note;
  std::optional<Date> started;  // when it first left not-started (step 6: implementation)
  Timestamp updated_at = 0;
  std::string updated_by;
};
// "not-started", "in-progress", "done". Also the status words of plan tasks.
std::span<const std::string_view> CemStatuses();

// One question of the discovery questionnaire, with its answer when it has one.
struct DiscoveryQuestion {
  std::string id;  // "D-01"
  std::string section, question;
  std::string owner, answer;
  std::optional<Timestamp> answered_at;
  std::string answered_by;
  bool answered() const { return !answer.empty(); }
};

// One task of the phased go-live plan and how far it is.
struct PlanTask {
  int number = 0;
  std::string phase, task, deliverables, timeline;
  std::string status = "not-started";  // CemStatuses()
  std::string note;
  std::optional<Timestamp> updated_at;
  std::string updated_by;
};

// How many feedback rows of one kind (and division, stage when asked) a period holds.
struct FeedbackTally {
  std::string kind, division, stage;
  int64_t count = 0;
};

// A piece of feedback on the hub, with the user who gave it.
struct HubFeedback {
  Feedback feedback;  // kind "hub"
  std::string given_by;
};

// Parses the questionnaire file: [[question]] id, section, question (all required, ids unique).
// Errors: kInvalid naming `source`, the line and the key for every problem.
Result<std::vector<DiscoveryQuestion>> ParseDiscovery(std::string_view text,
                                                      const std::string& source);
// Parses the plan file: [[task]] number, phase, task, deliverables, timeline (numbers unique).
// Errors: as ParseDiscovery.
Result<std::vector<PlanTask>> ParsePlan(std::string_view text, const std::string& source);

// The shipped questionnaire and plan (embedded). Errors: kInternal when missing or bad.
Result<std::vector<DiscoveryQuestion>> ShippedDiscovery();
Result<std::vector<PlanTask>> ShippedPlan();

}  // namespace cx
