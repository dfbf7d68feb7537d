// Tabular exports as records (CSV or the first sheet of an .xlsx) and the rejected-rows file.
#include "io/csv/row_file.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string_view>

#include "base/sha256.h"
#include "base/text.h"
#include "base/time.h"
#include "io/xlsx/xlsx_reader.h"

namespace cx {
namespace {

bool EndsWithXlsx(const std::string& s) {
  return s.size() >= 5 && AsciiLower(s.substr(s.size() - 5)) == ".xlsx";
}

// A zip archive (an .xlsx workbook under another name) starts with "PK\3\4".
bool LooksLikeZip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == std::string_view("PK\3\4", 4);
}

// The first sheet of a workbook as records.
Status XlsxRows(xlsx::Reader& book, const std::string& file, const RowSink& sink) {
  const std::string sheet = book.SheetNames().front();
  size_t width = 0;
  Status st =
      book.ReadSheet(sheet, [&](int64_t row, const std::vector<xlsx::Cell>& cells) -> Status {
        if (cells.empty()) return Status::Ok();
        CsvRecord rec;
        rec.line = row;
        size_t n = size_t(cells.back().col) + 1;
        rec.fields.assign(std::max(n, width), "");
        for (const auto& c : cells) {
          std::string text = c.text;
          if (c.type == xlsx::Cell::Type::kNumber && c.is_date) {
            int64_t days = 0;
            int secs = 0;
            CX_RETURN_IF_ERROR(xlsx::SerialToCivil(c.number, book.Date1904(), &days, &secs));
            char buf[32];
            Date d = CivilFromDays(days);
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day,
                          secs / 3600, secs / 60 % 60, secs % 60);
            text = buf;
          } else if (c.type == xlsx::Cell::Type::kNumber &&
                     text.find_first_of("Ee") != std::string::npos && std::fabs(c.number) < 1e18 &&
                     c.number == std::floor(c.number)) {
            // A long number id Excel stored as "1E+17": its digits, not the exponent form.
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.0f", c.number);
            text = buf;
          }
          rec.fields[size_t(c.col)] = text;
        }
        if (width == 0) {
          width = rec.fields.size();
        } else {
          // Trailing blank cells are absent from the sheet: pad to the header's width.
          while (rec.fields.size() > width && rec.fields.back().empty()) rec.fields.pop_back();
        }
        return sink(rec);
      });
  if (!st.ok() && st.code() == Code::kNotFound) return Invalid(file + ": " + st.message());
  return st;
}

}  // namespace

RowFile::~RowFile() = default;

Result<std::unique_ptr<RowFile>> RowFile::Open(const std::string& path) {
  std::unique_ptr<RowFile> f(new RowFile());
  f->path_ = path;
  if (EndsWithXlsx(path) || LooksLikeZip(path)) {
    CX_ASSIGN_OR_RETURN(f->sha256_, FileSha256(path));
    CX_ASSIGN_OR_RETURN(f->book_, xlsx::Reader::Open(path));
    if (f->book_->SheetNames().empty()) return Invalid(path + ": the workbook has no sheet");
    f->encoding_ = "xlsx";
    return f;
  }
  CX_ASSIGN_OR_RETURN(f->csv_, CsvReader::Open(path));
  f->sha256_ = f->csv_->sha256();
  f->encoding_ = f->csv_->encoding();
  f->delimiter_ = f->csv_->delimiter();
  f->size_bytes_ = f->csv_->size_bytes();
  return f;
}

Status RowFile::ForEach(const RowSink& sink) {
  if (book_) return XlsxRows(*book_, path_, sink);
  CsvRecord rec;
  while (true) {
    CX_ASSIGN_OR_RETURN(bool more, csv_->Next(&rec));
    if (!more) return Status::Ok();
    CX_RETURN_IF_ERROR(sink(rec));
  }
}

bool BlankRecord(const CsvRecord& rec) {
  for (const auto& f : rec.fields)
    if (f.find_first_not_of(" \t\r\x1a") != std::string::npos) return false;
  return true;
}

// The first bytes of every rejected-rows file the hub writes: a UTF-8 byte-order mark (which
// also makes a spreadsheet read the file as UTF-8) and a header that ends with the columns
// Line and Reason. A file at FILE.rejected.csv without both is someone else's.
constexpr std::string_view kRejectedBom = "\xEF\xBB\xBF";

bool IsOurRejectedFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::string head(64 * 1024, '\0');
  f.read(head.data(), std::streamsize(head.size()));
  head.resize(size_t(f.gcount()));
  if (head.rfind(kRejectedBom, 0) != 0) return false;
  const size_t eol = head.find("\r\n");
  if (eol == std::string::npos) return false;
  const std::string first = head.substr(0, eol);
  return first.size() >= 12 && first.compare(first.size() - 12, 12, ",Line,Reason") == 0;
}

Status WriteRejectedFile(const std::string& path, const std::vector<std::string>& header,
                         const std::vector<RejectedRecord>& rows) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Internal("cannot write " + path + ": " + std::strerror(errno));
  std::vector<std::string> h = header;
  h.push_back("Line");
  h.push_back("Reason");
  f << kRejectedBom << CsvLine(h);
  for (const auto& r : rows) {
    std::vector<std::string> row = r.record ? r.record->fields : std::vector<std::string>{};
    row.push_back(std::to_string(r.line));
    row.push_back(r.reason);
    f << CsvLine(row);
  }
  f.close();
  if (!f) return Internal("cannot write " + path);
  return Status::Ok();
}

}  // namespace cx
