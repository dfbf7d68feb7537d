// Streaming CSV reader: encoding detection (UTF-8 with or without BOM, Windows-1252,
// UTF-16 with BOM), delimiter detection (',' or ';') and RFC 4180 records.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace cx {

// Caps of one record, so that a hostile file costs bounded memory: a field is buffered up to
// kCsvMaxFieldBytes (more than the UTF-8 of the longest text a spreadsheet cell holds) and
// the rest of it is only counted; a record of more than kCsvMaxFields fields (Excel's
// column count) or kCsvMaxRecordBytes bytes refuses the file.
inline constexpr size_t kCsvMaxFieldBytes = size_t(128) << 10;
inline constexpr size_t kCsvMaxFields = 16384;
inline constexpr size_t kCsvMaxRecordBytes = size_t(16) << 20;

// A field cut at kCsvMaxFieldBytes: its index in the record and its whole size in bytes.
struct CsvOverlong {
  size_t field = 0;
  int64_t bytes = 0;
};

// One CSV record. `line` is the physical line (1 = the first line of the file)
// where the record starts; a quoted field with line breaks spans several lines.
struct CsvRecord {
  int64_t line = 0;
  std::vector<std::string> fields;    // UTF-8
  std::vector<CsvOverlong> overlong;  // fields cut at kCsvMaxFieldBytes (usually none)
};

// Reads a CSV file record by record in bounded memory.
//
// Open() scans the file once to choose its encoding and compute its SHA-256:
// a UTF-16 (LE or BE) or UTF-8 byte-order mark decides; otherwise the file is
// UTF-8 when it is valid UTF-8, else Windows-1252. The delimiter is the one of
// ',' and ';' that occurs more often outside quotes on the first line (',' on a tie).
// Next() converts to UTF-8 and parses RFC 4180: fields may be quoted with '"',
// a doubled '"' is a quote, quoted fields may hold delimiters and line breaks;
// CRLF, LF and CR end records; completely blank lines are skipped. A field that starts with
// an apostrophe and a formula character ("'=1+1") is read without the apostrophe: that is how
// CsvLine escapes such a cell, so a file the hub wrote reads back as it was.
class CsvReader {
 public:
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Errors: kInvalid when the file cannot be opened or is empty (naming it).
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path);

  // "utf-8", "utf-8-bom", "windows-1252", "utf-16le" or "utf-16be".
  const std::string& encoding() const { return encoding_; }
  // Lower-case hex SHA-256 of the file's bytes.
  const std::string& sha256() const { return sha256_; }
  char delimiter() const { return delimiter_; }
  int64_t size_bytes() const { return size_; }

  // Reads the next record into `rec`; returns false at the end of the file.
  // Errors: kInvalid naming the line (an unterminated quote, a character after a
  // closing quote, bytes that are not valid in the file's encoding, a record past
  // kCsvMaxFields or kCsvMaxRecordBytes). A field past kCsvMaxFieldBytes is no error here:
  // it is cut (at a character) and listed in rec->overlong, for the caller to name.
  Result<bool> Next(CsvRecord* rec);

 private:
  CsvReader() = default;
  // Refills buf_ with the next UTF-8 chunk; false at the end.
  Result<bool> Fill();
  // The next character, or -1 at the end or on a read error (kept in error_).
  int Get() {
    int c = Peek();
    if (c >= 0) {
      ++pos_;
      if (c == '\n') ++line_;
    }
    return c;
  }
  int Peek() {
    if (pos_ < buf_.size()) return static_cast<unsigned char>(buf_[pos_]);
    return Refill();
  }
  int Refill();

  std::string path_;
  std::FILE* f_ = nullptr;
  std::string encoding_;
  std::string sha256_;
  int64_t size_ = 0;
  char delimiter_ = ',';
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  int64_t line_ = 1;  // physical line of the next character
  Status error_;      // a read or conversion error met by Refill()
  struct Converter;
  std::unique_ptr<Converter> conv_;
};

// Writes `fields` as one CSV record (RFC 4180 quoting, ',' delimiter, CRLF). A field a
// spreadsheet would take for a formula is written as text (CsvCellText, base/safe_text.h);
// Next() reads it back as it was.
std::string CsvLine(const std::vector<std::string>& fields);

}  // namespace cx
