// Demo data: a realistic year of a multi-division company, with planted duplicates.
#pragma once

#include <cstdint>

#include "service/context.h"

namespace cx {

struct DemoOptions {
  int64_t accounts = 300;
  int64_t contacts = -1;      // default: 2 per account
  int64_t interactions = -1;  // default: 8 per account, at most 200,000
  uint64_t seed = 1;
  double duplicate_rate = 0.02;  // share of accounts that get a planted duplicate
  std::string as_of;             // last day of the data (default: today in the hub's zone)
  bool quiet = false;
};

struct DemoSummary {
  int64_t accounts = 0, planted_duplicates = 0, contacts = 0, interactions = 0, opportunities = 0,
          cases = 0, orders = 0, feedback = 0, users = 0, touchpoints = 0, survey_answers = 0,
          newsletter = 0;
};

// Writes demo data for all five divisions: users and roles, accounts (companies,
// households, distributors and target distributors), contacts, a year of
// interactions with next actions, opportunities through every stage of each
// division's journey (won, lost, open) with stage history, cases of every kind,
// two years of ERP orders, touchpoints with budgets, feedback of every kind along the journeys
// (docs/feedback.md), a few survey answers, newsletter sign-ups. Planted duplicate accounts and
// contacts carry the custom field "demo_duplicate_of" naming their original.
// The same seed and as-of date give the same data. Written in chunked
// transactions with progress on stderr; audited as one "demo" entry.
// Errors: kInvalid for bad options; kInternal on database failure.
Result<DemoSummary> GenerateDemo(const Context& ctx, const DemoOptions& opt);

}  // namespace cx
