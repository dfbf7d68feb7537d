// Exporting the hub as the seed's workbook (docs/workbook.md), streamed in constant memory.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "service/context.h"

namespace cx {

struct ExportSummary {
  std::vector<std::pair<std::string, int64_t>> rows;  // sheet → data rows written
  // Texts longer than a cell holds, stored before the hub refused them: each was written cut
  // to the limit (domain/cell_text.h); one line per cell, naming the record and column.
  std::vector<std::string> warnings;
};

// Writes every sheet of the contract to `path` (.xlsx): Accounts, Contacts, Interactions first
// with the seed's columns, then the further columns and sheets; custom fields as extra columns
// after the known ones. Records merged into another are left out (their survivor is written).
// Times are real date cells in the hub's zone, shown day-first; IDs and all text are text cells,
// never formulas. Each sheet has a bold, frozen header row with a filter, and columns as wide
// as their content (bounded); notes, comments and summaries wrap.
// Errors: kInternal when the file cannot be written. A text too long for a cell is cut (see
// `warnings`), never an error.
Result<ExportSummary> ExportWorkbook(const Context& ctx, const std::string& path);

}  // namespace cx
