// The weekly review pack as one self-contained HTML file that prints on A4.
#pragma once

#include <string>

#include "service/review_service.h"

namespace cx {

// The whole page: inline CSS (A4 print rules), inline SVG sparklines, no external resources.
// Every section of the pack (docs/kpi.md) is a <section id="…">: scorecard, sla, quality-flags,
// next-actions, leads, deals, adoption, data-quality, voice, health.
std::string RenderReviewHtml(const ReviewPack& p, const Zone& zone);

// Writes RenderReviewHtml to `path`. Errors: kInternal naming the file when it cannot be written.
Status WriteReviewHtml(const ReviewPack& p, const Zone& zone, const std::string& path);

}  // namespace cx
