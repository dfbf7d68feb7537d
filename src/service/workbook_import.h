// Importing the seed's workbook (docs/workbook.md): validated whole, written atomically,
// idempotent.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "service/context.h"
#include "service/match.h"

namespace cx {

struct ImportOptions {
  bool dry_run = false;  // validate and report only; nothing is written
  // Called now and then with the sheet being read and the rows read so far in it.
  std::function<void(const std::string& sheet, int64_t rows)> progress;
};

struct SheetCounts {
  std::string sheet;
  int64_t created = 0, updated = 0, unchanged = 0, skipped = 0;
};

// A new account or contact of the workbook that probably exists already (search first):
// reported, not refused.
struct ImportDuplicate {
  std::string sheet;
  int64_t row = 0;
  std::string id, name;
  std::vector<Match> matches;
};

struct ImportSummary {
  bool dry_run = false;
  std::vector<SheetCounts> sheets;          // in processing order, only sheets present
  std::vector<std::string> warnings;        // ignored sheets/columns, skipped merged records
  std::vector<std::string> unknown_people;  // names in people columns that match no user, sorted
  std::vector<ImportDuplicate> duplicates;
  std::vector<std::string> errors;  // "Sheet 'Contacts', row 7, column 'Associated Account ID': …"
  int64_t error_count = 0;          // may exceed errors.size() (the list is capped)
  bool ok() const { return error_count == 0; }
};

// Reads the workbook at `path` and applies it in one transaction: every row of every
// known sheet is validated (all errors collected with sheet, row, column and problem);
// when any error is found nothing is written and the summary lists them. A blank cell
// keeps the stored value; only changed fields are written, each audited. New records
// are audited as created. Sheets are matched by name ignoring case and spaces; unknown
// sheets are reported as warnings.
// Errors (as the Result): kInvalid when the file is not a readable .xlsx workbook or lacks
// every known sheet; kInternal on database failure. Row problems are in summary.errors.
Result<ImportSummary> ImportWorkbook(const Context& ctx, const std::string& path,
                                     const ImportOptions& opt = {});

// The summary's errors as one kInvalid Status (message + one detail per error); ok when none.
Status ImportErrors(const ImportSummary& s);

}  // namespace cx
