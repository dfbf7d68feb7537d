// The weekly review pack as an .xlsx workbook: one sheet per section, native charts of the
// scorecard trend.
#pragma once

#include <string>

#include "service/review_service.h"

namespace cx {

// Sheet names, in order: Scorecard, Trend, SLA, Quality flags, Next actions, Leads, Deals,
// Adoption, Data quality, Health, Voice, Touchpoints, Key results. The Trend sheet holds one native
// line chart per KPI row; the Voice sheet a column chart of NPS by division and a line chart of
// each division's emotion curve, beside the cells they plot. Errors: kInternal naming the file
// when it cannot be written.
Status WriteReviewXlsx(const ReviewPack& p, const Zone& zone, const std::string& path);

}  // namespace cx
