// Streaming .xlsx writer over libxlsxwriter in constant-memory mode: rows go out in order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cx::xlsx {

// How a column's cells are shown (and its width judged).
enum class ColumnKind : uint8_t {
  kText,      // one line, the column as wide as its longest text (bounded)
  kLongText,  // wrapped in a wide column: notes, comments, summaries
  kNumber,    // General format
  kDateTime,  // dd/mm/yyyy hh:mm (the value keeps its seconds)
  kDate,      // dd/mm/yyyy
};

struct Column {
  std::string header;
  ColumnKind kind = ColumnKind::kText;
};

// Writes one workbook. Rows of a sheet must be written top to bottom (constant memory).
// Each sheet reads well when opened: a bold header row that stays in view when scrolling, a
// filter over the rows written, columns as wide as their header and content (bounded: the
// widths are tracked while the cells are written, so no second pass), dates day-first.
// Cells are never formulas: every text is a string cell, and text that a spreadsheet
// would take for a formula (starting with '=', '+', '-', '@', tab or CR) also gets the
// Text number format ("@") so that editing it keeps it text (base/safe_text.h,
// LooksLikeFormula).
// Not thread-safe; one thread writes.
class Writer {
 public:
  ~Writer();
  // Errors: kInternal when the file cannot be created.
  static Result<std::unique_ptr<Writer>> Create(const std::string& path);
  // Finishes the current sheet (widths, filter) and starts a new one with its header row in
  // row 0; later cells go there, from row 1. Errors: kInvalid for a bad sheet name.
  Status AddSheet(const std::string& name, const std::vector<Column>& columns);
  // A text cell; empty text writes nothing. Longer than a cell holds fails the file at Close
  // (callers cut it first: domain/cell_text.h).
  void Text(int64_t row, int col, std::string_view text);
  void Text(int64_t row, int col, const std::string& text);  // the same, without a copy
  void Number(int64_t row, int col, double v);
  // An Excel serial, shown as its column's kind says (kDate: the day only; else day and time).
  void Time(int64_t row, int col, double serial);
  // Finishes the file. Reports the first error of any write. Errors: kInternal / kInvalid.
  Status Close();

  // Bounds of a column's width, in Excel's units (characters of the default font's digits).
  static constexpr double kMaxWidth = 60;
  static constexpr double kLongTextWidth = 60;

 private:
  Writer() = default;
  void Check(int err, int64_t row, int col);
  void Track(int64_t row, int col, std::string_view text);
  void FinishSheet();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cx::xlsx
