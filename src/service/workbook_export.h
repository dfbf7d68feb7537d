// Exporting the hub as the seed's workbook (PRODUCT.md §4), streamed in constant memory.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "service/context.h"

namespace cx {

struct ExportSummary {
  std::vector<std::pair<std::string, int64_t>> rows;  // sheet → data rows written
};

// Writes every sheet of the contract to `path` (.xlsx): Accounts, Contacts, Interactions first
// with the seed's columns, then the further columns and sheets; custom fields as extra columns
// after the known ones. Records merged into another are left out (their survivor is written).
// Times are real date cells in the hub's zone; IDs and all text are text cells, never formulas.
// Errors: kInternal when the file cannot be written; kInvalid when a value cannot be stored
// in a cell (e.g. more than 32,767 characters).
Result<ExportSummary> ExportWorkbook(const Context& ctx, const std::string& path);

}  // namespace cx
