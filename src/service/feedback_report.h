// The measures of feedback and touchpoints for a period (docs/feedback.md): NPS and CSAT by
// division, touchpoint or stage; the emotion curve of a division's journey; the touchpoint
// ranking with its verdicts; newsletter sign-ups as a KPI. Reads only; the period rules of the
// KPIs (docs/kpi.md): whole local days, facts after the period's end ignored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/feedback_measures.h"
#include "domain/kpi.h"
#include "service/context.h"
#include "service/kpi_service.h"
#include "store/feedback_store.h"

namespace cx {

// NPS and CSAT of one group.
struct FeedbackGroupScores {
  std::string key;                  // division, touchpoint id or stage ("" = feedback naming none)
  std::string division;             // by stage: the journey's division
  std::optional<double> nps, csat;  // nullopt without scores of that kind
  int64_t nps_n = 0, promoters = 0, detractors = 0, csat_n = 0, satisfied = 0;
};
struct FeedbackScores {
  Period period;
  FeedbackGroup by = FeedbackGroup::kDivision;
  std::string division;                     // the filter ("" = every division)
  std::vector<FeedbackGroupScores> groups;  // by key (stages of a division in journey order)
};
// Errors: kInvalid (unknown division, a period ending before it starts).
Result<FeedbackScores> ComputeFeedbackScores(const Context& ctx, const Period& p, FeedbackGroup by,
                                             const std::string& division);

// One point of an emotion curve.
struct EmotionPoint {
  std::string stage;
  std::optional<double> mean;  // nullopt when n is 0
  int64_t n = 0;
};
struct EmotionCurve {
  std::string division;
  Period period;
  std::vector<EmotionPoint> stages;  // every stage of the journey, in journey order
};
// Errors: kInvalid (not a division with a journey, a bad period).
Result<EmotionCurve> ComputeEmotionCurve(const Context& ctx, const std::string& division,
                                         const Period& p);

struct TouchpointRanking {
  Period period;
  std::string division;                      // the filter ("" = every touchpoint)
  std::vector<TouchpointScore> touchpoints;  // in rank order, with verdicts
};
// Every touchpoint (of `division` when given: that division's own, not the company-wide ones),
// ranked. Errors: kInvalid (unknown division, a bad period).
Result<TouchpointRanking> ComputeTouchpointRanking(const Context& ctx, const Period& p,
                                                   const std::string& division);

// The `newsletter_signups` KPI (division All, unit count) for the period into `v`: contacts
// whose subscription date is in it; null with a note when no contact has a subscription date on
// or before the period's end (the hub does not track the newsletter yet). Drill-down: the
// contacts, up to `id_limit`.
Status NewsletterSignupsKpi(Tx& tx, const Period& p, int id_limit, KpiValue* v);

// The period of --from / --to (missing ones as for the KPIs). Errors: kInvalid naming the
// option (`prefix` before its name: "--" on the command line, "" for a query parameter) for a
// bad date, or an end before the start.
Result<Period> PeriodFromOptions(const Context& ctx, const std::string& from, const std::string& to,
                                 const std::string& prefix = "--");

}  // namespace cx
