// Reads the hub's users into the rule of who a "logged by" or "owner" text names
// (store/logic/kpi_people.h), for the fact-reading path (sqlite_tx_kpi.cc) and the funnel
// aggregate (sqlite_tx_kpi_funnel.cc).
#pragma once

#include "base/status.h"
#include "store/logic/kpi_people.h"
#include "store/sqlite/db.h"

namespace cx {

// Adds every user of `db` to `people`, in table order (the first wins a clash).
inline Status LoadKpiPeople(sqlite::Db* db, KpiPeople* people) {
  auto stmt = db->Prepare("SELECT login, name FROM users");
  if (!stmt.ok()) return stmt.status();
  sqlite::Stmt* u = *stmt;
  while (u->Step()) people->AddUser(u->TextView(0), u->TextView(1));
  Status st = u->status();
  u->Reset();
  return st;
}

}  // namespace cx
