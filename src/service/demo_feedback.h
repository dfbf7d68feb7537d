// The demo's voice of the customer (internal to the demo, service/demo_service.cc): touchpoints
// with budgets for every division, the touchpoints leads came from, feedback of every kind along
// the journeys, a few survey answers and newsletter sign-ups.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "service/context.h"

namespace cx {

// A contact of the demo with its account and the account's division.
struct DemoContact {
  std::string id, account_id, division;
};

struct DemoFeedbackCounts {
  int64_t touchpoints = 0, sourced_opportunities = 0, feedback = 0, survey_answers = 0,
          newsletter = 0;
};

// Writes, inside `tx`: the touchpoints; a Source Touchpoint on about three opportunities in four
// (from the touchpoints where that division's leads come in); `n_feedback` feedback rows dated in
// [start, end) from `contacts`, of every kind, at the touchpoints and stages of each journey,
// lower where the journeys make customers wait (docs/feedback.md); a few of them answers to
// survey links; newsletter sign-ups for about one contact in seven. Feedback ids continue from
// F-000001. Deterministic for a given `rng` state. Errors: kInternal.
Status GenerateDemoFeedback(Tx& tx, std::mt19937_64& rng, const std::vector<DemoContact>& contacts,
                            Timestamp start, Timestamp end, int64_t n_feedback,
                            DemoFeedbackCounts* out);

}  // namespace cx
