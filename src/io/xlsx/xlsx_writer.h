// Streaming .xlsx writer over libxlsxwriter in constant-memory mode: rows go out in order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cx::xlsx {

// Writes one workbook. Rows of a sheet must be written top to bottom (constant memory).
// Cells are never formulas: every text is a string cell, and text that a spreadsheet
// would take for a formula (starting with '=', '+', '-', '@', tab or CR) also gets the
// Text number format ("@") so that editing it keeps it text.
class Writer {
 public:
  ~Writer();
  // Errors: kInternal when the file cannot be created.
  static Result<std::unique_ptr<Writer>> Create(const std::string& path);
  // Starts a new sheet; later cells go there. Errors: kInvalid for a bad sheet name.
  Status AddSheet(const std::string& name);
  // Header cell (bold). Empty text writes nothing.
  void Header(int64_t row, int col, std::string_view text);
  void Text(int64_t row, int col, std::string_view text);
  void Text(int64_t row, int col, const std::string& text);  // the same, without a copy
  void Number(int64_t row, int col, double v);
  // An Excel serial shown as "yyyy-mm-dd hh:mm:ss" or "yyyy-mm-dd".
  void DateTime(int64_t row, int col, double serial);
  void Date(int64_t row, int col, double serial);
  // Finishes the file. Reports the first error of any write. Errors: kInternal / kInvalid.
  Status Close();

  // Whether text would be read as a formula by a spreadsheet.
  static bool LooksLikeFormula(std::string_view text);

 private:
  Writer() = default;
  void Check(int err, int64_t row, int col);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cx::xlsx
