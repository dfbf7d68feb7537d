// Helpers of the PostgreSQL KPI and journey files (pg_tx_kpi*.cc, pg_tx_journey.cc): who a person
// text names (store/logic/kpi_people.h) read from the users table, text[] parameters, statistics.
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

// The SQL condition "change list `table` holds no row written by a transaction from the last
// refresh's `clean_from` on" (the column of the aggregate's one-row `state` table, 0078). Rows a
// refresh did not take have such a transaction; those it took are dead and sit before it in the
// index of `tx`, which the look-up starts after: one index page, where `NOT EXISTS` over the
// whole list read every page of its dead rows until autovacuum. Asked as the least such `tx`
// (in the index's order, so that the planner reads the index, not the table from its start),
// and uncorrelated, so that the server evaluates it once a statement, not once a row.
inline std::string NothingChangedSince(const std::string& table, const std::string& state) {
  return "(SELECT tx FROM " + table + " WHERE tx >= (SELECT clean_from FROM " + state +
         ") ORDER BY tx LIMIT 1) IS NULL";
}

// The tables the KPIs read their facts from.
inline const std::vector<std::string>& KpiFactTables() {
  static const std::vector<std::string> tables{"accounts", "contacts",      "interactions",
                                               "orders",   "opportunities", "cases",
                                               "feedback", "stage_history", "kpi_stage_first"};
  return tables;
}

// ANALYZE of each of `tables` the planner has no statistics of (no row in pg_stats). A bulk load
// into empty tables leaves none, and autovacuum analyses them only a minute or more later: the
// KPIs of a scorecard right after the load were planned on guesses (a bitmap scan of the
// heap, estimated at 6 rows, for a period's 16,000 orders). A KPI rebuild, which follows every
// such load, calls this first (docs/postgresql.md, "KPI facts"). A table of no rows has no
// statistics either: it is analysed again, at no cost. A role that does not own a table gets a
// warning, not an error.
inline Status AnalyzeTablesWithoutStatistics(pg::Db& db, const std::vector<std::string>& tables) {
  auto rows = db.Query(
      "SELECT t FROM unnest($1::text[]) AS t WHERE NOT EXISTS (SELECT 1 FROM pg_stats s WHERE "
      "s.schemaname = current_schema() AND s.tablename = t) ORDER BY t",
      pg::Params().Add(TextArrayParam(tables)));
  if (!rows.ok()) return rows.status();
  std::string sql;
  while (rows->Next()) sql += (sql.empty() ? "ANALYZE " : ", ") + rows->Text(0);
  return sql.empty() ? Status::Ok() : db.ExecScript(sql);
}

}  // namespace cx::pgkpi
