// libFuzzer target for the CSV reader (encoding and delimiter detection, RFC 4180 records,
// the field and record caps) and for the escapes every CSV the hub writes goes through: each
// record read is written back with CsvLine and must read back the same.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/safe_text.h"
#include "io/csv/csv_reader.h"

namespace {

// One file per process, rewritten for each input (CsvReader reads a path).
const std::string& Path() {
  static const std::string p = "/tmp/cxhub-csv-fuzz-" + std::to_string(::getpid()) + ".csv";
  return p;
}

bool WriteFile(const std::string& path, const void* data, size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!WriteFile(Path(), data, size)) return 0;
  auto r = cx::CsvReader::Open(Path());
  if (!r.ok()) return 0;
  cx::CsvRecord rec;
  for (int n = 0; n < 100000; ++n) {
    auto more = (*r)->Next(&rec);
    if (!more.ok() || !*more) break;
    if (rec.fields.size() > cx::kCsvMaxFields) std::abort();
    for (const auto& f : rec.fields) {
      if (f.size() > cx::kCsvMaxFieldBytes) std::abort();
      // The escape can always be undone, and a quoted value stays short.
      if (cx::CsvCellValue(cx::CsvCellText(f)) != f) std::abort();
      if (cx::QuotePrefix(f).size() > 4 * cx::kQuotedPrefixBytes + 40) std::abort();
      const std::string shown = cx::TerminalText(f);
      if (shown.find('\x1b') != std::string::npos) std::abort();
    }
    // What the hub writes reads back as it was (for records without a cut field or NUL).
    if (!rec.overlong.empty()) continue;
    bool plain = true;
    for (const auto& f : rec.fields)
      plain = plain && f.find('\0') == std::string::npos && f.size() < cx::kCsvMaxFieldBytes;
    if (!plain || rec.fields.empty()) continue;
    const std::string line = cx::CsvLine(rec.fields);
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) continue;  // would read as a byte-order mark
    const std::string path2 = Path() + ".2";
    if (!WriteFile(path2, line.data(), line.size())) continue;
    auto back = cx::CsvReader::Open(path2);
    cx::CsvRecord again;
    if (back.ok()) {
      auto got = (*back)->Next(&again);
      // A record of one empty field is a blank line, which the reader skips.
      if (got.ok() && *got && (*back)->delimiter() == ',' && again.fields != rec.fields &&
          !(rec.fields.size() == 1 && rec.fields[0].empty()))
        std::abort();
    }
  }
  return 0;
}
