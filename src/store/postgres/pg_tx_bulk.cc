// PostgreSQL Tx: bulk loads. A load announced as many times what a table holds turns off, for
// its transaction only, the per-row marks of the duplicate index on that table and marks the
// index stale (rebuilt whole at its next use); likewise the KPI aggregates' triggers on that
// table (docs/postgresql.md, "Bulk loads"). PostgreSQL keeps its indexes up to date row by row
// as well as in one pass, and dropping one would lock the table against every reader: the
// indexes stay.
#include <algorithm>
#include <string>
#include <vector>

#include "store/postgres/pg_tx.h"

namespace cx {

namespace {

// Turns off the KPI aggregates' triggers on `table` until this transaction's commit, and marks
// the aggregates they keep for a whole rebuild at their next refresh, as the SQLite store does
// for a first load. Each trigger would otherwise join every COPY's rows to the accounts (for
// orders, a scan of them per run of rows). ALTER TABLE … DISABLE TRIGGER takes a lock that
// writers wait on (they take turns anyway) and readers do not; it is part of the transaction,
// so a load that fails leaves the triggers as they were. With `dup_marks` the duplicate
// index's per-row triggers (0010_duplicates.sql) go off too: the caller marks that index stale,
// and a trigger that only returns still costs a call per row (about a sixth of a first load's
// COPY into accounts). Returns how many KPI triggers were turned off.
Result<int> PauseTriggers(PgTx& tx, const std::string& table, bool dup_marks) {
  // The table name comes from the fixed list of ExpectBulkLoad, never from input.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      tx.db().Query("SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT "
                    "tgisinternal AND tgenabled <> 'D' AND (tgname LIKE 'kpi\\_%' OR ($2 AND "
                    "tgname LIKE 'dup\\_%')) ORDER BY tgname",
                    pg::Params().Add(table).Add(dup_marks)));
  std::vector<std::string> names;
  bool activity = false, funnel = false;
  int kpi = 0;
  while (r.Next()) {
    names.push_back(r.Text(0));
    activity |= names.back().rfind("kpi_activity_", 0) == 0;
    funnel |= names.back().rfind("kpi_funnel_", 0) == 0;
    kpi += names.back().rfind("kpi_", 0) == 0;
  }
  if (names.empty()) return 0;
  std::string off, on;
  for (const auto& n : names) {
    off += "ALTER TABLE " + table + " DISABLE TRIGGER " + pg::QuoteIdent(n) + "; ";
    on += "ALTER TABLE " + table + " ENABLE TRIGGER " + pg::QuoteIdent(n) + "; ";
  }
  if (activity) off += "UPDATE kpi_activity_state SET stale = 1; ";
  if (funnel) off += "UPDATE kpi_funnel_state SET stale = 1; ";
  // A hub whose tables another role owns (the hub's role may write, not alter) keeps its
  // triggers: the load then only runs slower.
  Status st = tx.db().ExecScript("SAVEPOINT cx_bulk; " + off + "RELEASE SAVEPOINT cx_bulk");
  if (!st.ok() && tx.db().last_sqlstate() == "42501") {
    CX_RETURN_IF_ERROR(
        tx.db().ExecScript("ROLLBACK TO SAVEPOINT cx_bulk; RELEASE SAVEPOINT cx_bulk"));
    return 0;
  }
  CX_RETURN_IF_ERROR(st);
  // Foreign keys a caller deferred (move-store defers them to its commit) leave trigger events
  // pending, and ALTER TABLE refuses to run while they are: they are checked first, as the
  // commit would check them.
  tx.BeforeCommit(
      [&tx, on]() { return tx.db().ExecScript("SET CONSTRAINTS ALL IMMEDIATE; " + on); });
  return kpi;
}

}  // namespace

Result<int> PgTx::ExpectBulkLoad(Entity entity, int64_t expected_rows, BulkShape) {
  if (entity != Entity::kAccount && entity != Entity::kContact && entity != Entity::kInteraction &&
      entity != Entity::kOrder)
    return Invalid(std::string("no bulk loading of ") + EntityPlural(entity));
  const std::string table = EntityPlural(entity);
  // Whether the table holds at least a quarter of what is coming: count no further.
  const int64_t quarter = (std::max<int64_t>(expected_rows, 0) + 3) / 4;
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db().Query("SELECT count(*) FROM (SELECT 1 FROM " + table + " LIMIT $1) AS held",
                             pg::Params().Add(quarter)));
  const int64_t held = r.Next() ? r.Int(0) : 0;
  if (expected_rows <= 0 || held >= quarter) return 0;
  const bool people = entity == Entity::kAccount || entity == Entity::kContact;
  CX_ASSIGN_OR_RETURN(int deferred, PauseTriggers(*this, table, people));
  if (!people) return deferred;
  const char* kind = entity == Entity::kAccount ? "0" : "1";
  // The triggers of 0010_duplicates.sql read this setting, for a hub whose triggers its role
  // may not turn off; it ends with the transaction.
  CX_RETURN_IF_ERROR(
      db().Query(std::string("SELECT set_config('cxhub.dup_bulk_") + kind + "', 'on', true)")
          .status());
  CX_RETURN_IF_ERROR(
      db().Exec(std::string("UPDATE dup_state SET stale = true WHERE kind = ") + kind).status());
  return deferred + 1;
}

// PostgreSQL's memory for a transaction's writes is the server's (shared buffers, WAL): nothing
// to reserve per transaction.
Status PgTx::ReserveLargeWriteMemory(int) { return Status::Ok(); }

}  // namespace cx
