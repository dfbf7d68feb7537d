// A workbook import's report as text, one line a sheet and one a probable duplicate, so that
// tests can compare two imports' reports whole.
#pragma once

#include <sstream>
#include <string>

#include "service/workbook_import.h"

namespace cx::testing {

// "SHEET CREATED/UPDATED/UNCHANGED" per sheet, then per duplicate found
// "SHEET ROW ID NAME: MATCH_ID MATCH_NAME SCORE WHY; …".
inline std::string DescribeImport(const ImportSummary& s) {
  std::ostringstream out;
  for (const auto& sh : s.sheets)
    out << sh.sheet << " " << sh.created << "/" << sh.updated << "/" << sh.unchanged << "\n";
  for (const auto& d : s.duplicates) {
    out << d.sheet << " " << d.row << " " << d.id << " " << d.name << ":";
    for (const auto& m : d.matches)
      out << " " << m.id << " " << m.name << " " << m.score << " " << m.why << ";";
    out << "\n";
  }
  return out.str();
}

}  // namespace cx::testing
