// The cell-level rules of the xlsx reader (xlsx_reader.h): which number formats are dates,
// cell references, and date serials in either of Excel's two epochs.
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/xlsx/xlsx_reader.h"

namespace cx::xlsx {

bool IsBuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58) || (id >= 71 && id <= 81);
}

bool IsDateFormat(const std::string& code) {
  // Only the first section counts; quoted text, escapes and [..] blocks (colours,
  // locales) are skipped, except elapsed-time blocks such as [h].
  bool in_quote = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (in_quote) {
      if (c == '"') in_quote = false;
      continue;
    }
    if (c == '"') {
      in_quote = true;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == ';') {
      break;
    } else if (c == '[') {
      size_t end = code.find(']', i);
      if (end == std::string::npos) return false;
      std::string inner = code.substr(i + 1, end - i - 1);
      if (!inner.empty() && (inner[0] == 'h' || inner[0] == 'H' || inner[0] == 'm' ||
                             inner[0] == 'M' || inner[0] == 's' || inner[0] == 'S')) {
        return true;
      }
      i = end;
    } else {
      char l = char(std::tolower(static_cast<unsigned char>(c)));
      if (l == 'd' || l == 'm' || l == 'y' || l == 'h' || l == 's') return true;
    }
  }
  return false;
}

int ColumnOf(const std::string& ref, int64_t* row) {
  int col = 0;
  size_t i = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) {
    col = col * 26 + (std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    if (col > kMaxColumns) return -1;
    ++i;
  }
  if (row) *row = i < ref.size() ? std::atoll(ref.c_str() + i) : 0;
  return col - 1;
}

Status SerialToCivil(double serial, bool date1904, int64_t* days, int* seconds) {
  if (!std::isfinite(serial) || serial < 0 || serial > 2958466) {
    return Invalid("the date serial " + std::to_string(serial) + " is out of range");
  }
  double whole = std::floor(serial);
  int64_t secs = std::llround((serial - whole) * 86400.0);
  int64_t d = int64_t(whole);
  if (secs >= 86400) {
    secs -= 86400;
    d += 1;
  }
  if (date1904) {
    d -= 24107;
  } else {
    d -= d >= 60 ? 25569 : 25568;
  }
  *days = d;
  *seconds = int(secs);
  return Status::Ok();
}

}  // namespace cx::xlsx
