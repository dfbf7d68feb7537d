// Helpers of the PostgreSQL KPI and journey files (pg_tx_kpi*.cc, pg_tx_journey.cc): who a person
// text names (store/logic/kpi_people.h) read from the users table, bytea and text[] parameters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/logic/kpi_people.h"
#include "store/postgres/pg_db.h"

namespace cx::pgkpi {

// Adds every user to `people`, oldest first (the first added wins a clash, as in the SQLite
// store, whose users come in the order they were written).
inline Status LoadKpiPeople(pg::Db& db, KpiPeople* people) {
  auto rows = db.Query("SELECT login, name FROM users ORDER BY created_at, login");
  if (!rows.ok()) return rows.status();
  while (rows->Next()) people->AddUser(rows->TextView(0), rows->TextView(1));
  return Status::Ok();
}

// Bytes as a bytea parameter (hex input format).
inline std::string ByteaParam(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// Texts as a text[] parameter (array input format, every element quoted).
inline std::string TextArrayParam(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

// The condition on a division column (parameter `param`), or nothing for every division.
inline std::string DivisionCond(const std::string& division, const std::string& col, int param) {
  if (division.empty()) return "";
  return " AND " + col + " = $" + std::to_string(param);
}

}  // namespace cx::pgkpi
