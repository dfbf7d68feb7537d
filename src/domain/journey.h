// Journeys as configuration (config/journeys.toml): stages, checklists, next actions, SLA rules, routing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/sla.h"

namespace cx {

// A checklist item: its label as written in the configuration and its key
// (the label lower-cased, every run of other characters turned into '-').
struct ChecklistItem {
  std::string key;
  std::string label;
  bool required = true;
};

// A named checklist that must be complete before an opportunity enters
// `required_for` or any stage after it.
struct Checklist {
  std::string name;
  std::string title;
  std::string required_for;
  std::vector<ChecklistItem> items;
};

// A next action created automatically when an opportunity enters `on_stage`.
struct AutoNextAction {
  std::string on_stage;
  std::string action;
  int due_days = 0;
  std::string owner = "owner";  // "owner" = the opportunity's owner, else a login
};

// One division's journey.
struct Journey {
  std::string division;             // canonical
  std::vector<std::string> stages;  // in order; includes won_stage (and post-win stages)
  std::string won_stage = "Won";
  std::string lost_stage = "Lost";
  bool service_job_needs_approved_quote = false;
  std::vector<Checklist> checklists;
  std::vector<AutoNextAction> next_actions;
  std::vector<SlaRule> slas;

  // Index of `stage` in `stages` (ignoring case), or -1.
  int StageIndex(std::string_view stage) const;
  // The configured spelling of `stage`, the lost stage included, or nullopt.
  std::optional<std::string> CanonicalStage(std::string_view stage) const;
};

// A group of people leads are shared between, round robin.
struct Team {
  std::string name;
  std::vector<std::string> members;  // logins, in order
  std::string role;                  // also every user with this role …
  std::string division;              // … of this division (both empty: members only)
};

// A routing rule: when every non-empty criterion matches (ignoring case), the
// lead goes to `assign` (a login) or round robin within `team`.
struct RoutingRule {
  std::string name;
  std::string industry;      // the account's Industry
  std::string region;        // the account's City
  std::string product_line;  // the opportunity's custom field "Product Line"
  std::string assign;
  std::string team;
};

struct RoutingConfig {
  std::string division;  // whose new leads are routed
  std::vector<Team> teams;
  std::vector<RoutingRule> rules;  // first match wins
  const Team* FindTeam(std::string_view name) const;
};

struct JourneyConfig {
  std::vector<Journey> journeys;
  RoutingConfig routing;
  // The journey of a division (any spelling), or nullptr.
  const Journey* Find(std::string_view division) const;
};

// One checklist item recorded as done for an opportunity (cxhub opportunity check).
struct ChecklistAnswer {
  std::string opportunity_id;
  std::string item;  // ChecklistKey of the item
  std::string answer;
  Timestamp at = 0;
  std::string by;
};

// A next action not attached to an interaction: created by a journey rule
// (first service at delivery, preventive maintenance at handover) or by hand.
struct JourneyAction {
  int64_t seq = 0;  // shown as "N-000001"
  std::string opportunity_id;
  std::string case_id;
  std::string action;
  std::optional<Timestamp> due;
  std::string owner;
  bool done = false;
  Timestamp created_at = 0;
  std::string created_by;
  std::string rule;  // which configuration rule made it, empty when by hand
};

// The key of a checklist item label ("Driving licence checked" → "driving-licence-checked").
std::string ChecklistKey(std::string_view label);

// Parses and validates journeys TOML. `source` names the file in messages.
// Errors: kInvalid with one detail per problem, each naming the file, the
// journey or table and the key.
Result<JourneyConfig> ParseJourneys(std::string_view text, std::string_view source);

}  // namespace cx
