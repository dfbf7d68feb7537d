// The weekly review pack as an .xlsx workbook: one sheet per section, native charts of the
// scorecard trend.
#pragma once

#include <string>

#include "service/review_service.h"

namespace cx {

// Sheet names, in order: Scorecard, Trend, SLA, Quality flags, Next actions, Leads, Deals,
// Adoption, Data quality, Health. The Trend sheet holds one native line chart per division. Errors:
// kInternal naming the file when it cannot be written.
Status WriteReviewXlsx(const ReviewPack& p, const Zone& zone, const std::string& path);

}  // namespace cx
