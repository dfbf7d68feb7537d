// The one-page customer strategy as a printable A4 page (HTML) and as an .xlsx sheet laid out
// like seed 004's template (docs/strategy.md).
#pragma once

#include <string>

#include "base/time.h"
#include "domain/strategy.h"

namespace cx {

// The whole page: inline CSS for one A4 sheet, no external resources, no script. The parts are
// <section id="…">: business (mission, vision, key objectives), ambition, objectives,
// key-results (live value, target, met), communication, notes.
std::string RenderStrategyHtml(const StrategyPage& page, const Zone& zone);

// Writes RenderStrategyHtml to `path`. Errors: kInternal naming the file.
Status WriteStrategyHtml(const StrategyPage& page, const Zone& zone, const std::string& path);

// Writes one sheet "Strategy" in the template's layout (labels left, 1/3/5-year columns), set to
// print on one A4 page. Every cell is a value, never a formula. Errors: kInternal naming the file.
Status WriteStrategyXlsx(const StrategyPage& page, const Zone& zone, const std::string& path);

}  // namespace cx
