// A tabular export read record by record, whatever it came as: a CSV file (the encodings of
// CsvReader) or the first sheet of an .xlsx workbook; and the file of rejected rows written
// beside it. Shared by the ERP sync and the feedback import, so both read the same files the
// same way.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/csv/csv_reader.h"

namespace cx {

namespace xlsx {
class Reader;
}

// Receives each record; may move from it.
using RowSink = std::function<Status(CsvRecord&)>;

// An opened export. Records come in file order, the header first; an .xlsx's row number is the
// record's line, its date cells come as "YYYY-MM-DD HH:MM:SS" (wall clock, as written).
class RowFile {
 public:
  ~RowFile();
  // A file ending in .xlsx, or starting like a zip archive, is read as a workbook; any other as
  // CSV. Errors: kInvalid naming the file (unreadable, empty, a workbook without a sheet).
  static Result<std::unique_ptr<RowFile>> Open(const std::string& path);

  // "utf-8", "utf-8-bom", "windows-1252", "utf-16le", "utf-16be" or "xlsx".
  const std::string& encoding() const { return encoding_; }
  const std::string& sha256() const { return sha256_; }
  char delimiter() const { return delimiter_; }
  // The file's size in bytes (0 for a workbook).
  int64_t size_bytes() const { return size_bytes_; }
  bool is_xlsx() const { return book_ != nullptr; }

  // Streams every record to `sink`; stops at its first error. Errors: kInvalid naming the file
  // and line of a malformed record.
  Status ForEach(const RowSink& sink);

 private:
  RowFile() = default;
  std::string path_, encoding_, sha256_;
  char delimiter_ = ',';
  int64_t size_bytes_ = 0;
  std::unique_ptr<CsvReader> csv_;
  std::unique_ptr<xlsx::Reader> book_;
};

// A record of blank cells only (spaces, tabs, a DOS end-of-file mark ^Z): skipped like a blank
// line.
bool BlankRecord(const CsvRecord& rec);

// One rejected record and why (the header is line 1).
struct RejectedRecord {
  const CsvRecord* record = nullptr;
  int64_t line = 0;
  std::string reason;
};
// Writes the rejected records as CSV: the file's header plus "Line" and "Reason", then each
// record's fields with its line and reason. Errors: kInternal naming the path.
// Whether the file at `path` is a rejected-rows file the hub wrote (WriteRejectedFile's
// byte-order mark, and a first line ending with ",Line,Reason"): only those are replaced or
// removed without --force.
bool IsOurRejectedFile(const std::string& path);
Status WriteRejectedFile(const std::string& path, const std::vector<std::string>& header,
                         const std::vector<RejectedRecord>& rows);

}  // namespace cx
