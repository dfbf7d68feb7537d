// Streaming .xlsx reader (libzip + expat): sheets are parsed row by row, never held whole in
// memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace cx::xlsx {

// Caps that keep a hostile file (zip bomb, huge entry, too many entries) from
// exhausting memory or time. Exceeding one is a kInvalid error.
struct Limits {
  int64_t max_entries = 10000;                            // entries in the zip directory
  int64_t max_entry_bytes = int64_t(4) << 30;             // uncompressed size of one entry
  int64_t max_shared_strings_bytes = int64_t(512) << 20;  // shared strings kept in memory
  double max_ratio = 200;  // uncompressed / compressed, for entries over 1 MiB
};

// One non-empty cell. `col` is 0-based (A = 0).
struct Cell {
  enum class Type { kString, kNumber, kBool, kError };
  int col = 0;
  Type type = Type::kString;
  std::string text;      // the string, or the number/boolean/error as written in the file
  double number = 0;     // kNumber, kBool (0/1)
  bool is_date = false;  // a number whose cell style is a date or time format
};

// Receives one row: its 1-based row number and its cells sorted by column (only non-empty ones).
using RowFn = std::function<Status(int64_t row, const std::vector<Cell>& cells)>;

// An opened workbook. Not thread-safe.
class Reader {
 public:
  virtual ~Reader() = default;
  // Opens a file. Errors: kInvalid when the file is not a readable .xlsx
  // (not a zip, no workbook part, a DTD or entity, a cap exceeded), naming the part.
  static Result<std::unique_ptr<Reader>> Open(const std::string& path, const Limits& limits = {});
  // The same from bytes in memory (copied).
  static Result<std::unique_ptr<Reader>> OpenBuffer(const void* data, size_t size,
                                                    const Limits& limits = {});

  // Sheet names in workbook order.
  virtual const std::vector<std::string>& SheetNames() const = 0;
  // Whether dates use the 1904 system (Mac Excel) instead of 1900.
  virtual bool Date1904() const = 0;
  // Streams the rows of a sheet, in file order, calling `fn` on the calling thread while a
  // second thread parses ahead (a bounded number of rows). Stops at the first non-ok status
  // of `fn` and returns it. Errors: kNotFound for an unknown sheet, kInvalid for malformed XML or a
  // cap.
  virtual Status ReadSheet(const std::string& name, const RowFn& fn) = 0;
};

// Whether a number format code (e.g. "dd/mm/yyyy", "[$-409]h:mm AM/PM") shows a date or time.
bool IsDateFormat(const std::string& code);
// Whether a built-in number format id is a date or time format.
bool IsBuiltinDateFormat(int id);
// The most columns a sheet can have (A to XFD).
constexpr int kMaxColumns = 16384;
// 0-based column of a cell reference such as "AB12" (-1 when none, or past kMaxColumns), and its
// row (0 when none).
int ColumnOf(const std::string& ref, int64_t* row = nullptr);
// Converts an Excel serial (days, fraction = time of day) into a civil day count since
// 1970-01-01 and seconds of the day, in the 1900 (with its fictitious 29 Feb 1900) or 1904
// system. Errors: kInvalid for a negative or absurd serial.
Status SerialToCivil(double serial, bool date1904, int64_t* days_since_epoch, int* seconds_of_day);

}  // namespace cx::xlsx
