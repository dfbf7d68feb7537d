// PostgreSQL Tx: bulk loads. A load announced as many times what a table holds (a first load)
// drops, inside its transaction, the table's indexes that are neither unique nor keys and builds
// each again in one pass just before the commit; it turns off, for its transaction only, the
// per-row marks of the duplicate index on that table and marks the index stale (rebuilt whole at
// its next use); likewise the KPI aggregates' triggers on that table (docs/postgresql.md, "Bulk
// loads").
#include <algorithm>
#include <string>
#include <vector>

#include "store/postgres/pg_bulk_keys.h"
#include "store/postgres/pg_names_rows.h"
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

// The indexes a first load dropped, to be built again just before the commit.
struct DeferredIndexes {
  std::vector<std::string> sql;  // their CREATE INDEX statements (pg_get_indexdef)
  bool hooked = false;
};

// Memory for each index build at the commit (a session setting, for this transaction only):
// PostgreSQL's default of 64 MB makes a build of a million rows' keys sort in runs on disk.
constexpr const char* kIndexBuildMemory = "256MB";

// Drops the indexes of `table` that are neither unique nor a constraint's (the keys and ERP
// Customer IDs a load's own conflict checks read stay), but those named in `keep`, and builds
// them again, each with one CREATE INDEX, before the commit: one sort of the table's keys where
// each COPY'd row would have added an entry to every index. DROP INDEX takes the table's ACCESS
// EXCLUSIVE lock until the commit: other connections' reads of the table wait for the load to
// end and then see it whole with its indexes (none ever sees the table without them: the drop
// and the builds commit together); a load that fails or is killed rolls the drop back. As on
// SQLite, the partial indexes of interactions (open next actions, cases) pick few of a load's
// rows and stay. A role that may write the table but not own its indexes keeps them (the load
// then only runs slower). Returns how many indexes were dropped.
Result<int> DeferIndexes(PgTx& tx, const std::string& table, const std::vector<std::string>& keep) {
  // The table name comes from the fixed list of ExpectBulkLoad, never from input.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      tx.db().Query("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN "
                    "pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass AND NOT "
                    "i.indisunique AND NOT i.indisprimary AND i.indisvalid AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) AND NOT "
                    "($2 AND i.indpred IS NOT NULL) ORDER BY c.relname",
                    pg::Params().Add(table).Add(table == "interactions")));
  std::vector<std::string> names, sql;
  while (r.Next()) {
    if (std::find(keep.begin(), keep.end(), r.Text(0)) != keep.end()) continue;
    names.push_back(r.Text(0));
    sql.push_back(r.Text(1));
  }
  if (names.empty()) return 0;
  std::string drop = "LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE; ";
  for (const auto& n : names) drop += "DROP INDEX " + pg::QuoteIdent(n) + "; ";
  Status st = tx.db().ExecScript("SAVEPOINT cx_index; " + drop + "RELEASE SAVEPOINT cx_index");
  if (!st.ok() && tx.db().last_sqlstate() == "42501") {
    CX_RETURN_IF_ERROR(
        tx.db().ExecScript("ROLLBACK TO SAVEPOINT cx_index; RELEASE SAVEPOINT cx_index"));
    return 0;
  }
  CX_RETURN_IF_ERROR(st);
  DeferredIndexes& d = tx.AreaState<DeferredIndexes>("bulk.indexes");
  d.sql.insert(d.sql.end(), sql.begin(), sql.end());
  if (!d.hooked) {
    d.hooked = true;
    tx.BeforeCommit([&tx]() -> Status {
      DeferredIndexes& later = tx.AreaState<DeferredIndexes>("bulk.indexes");
      if (later.sql.empty()) return Status::Ok();
      // Foreign keys a caller deferred (move-store) leave trigger events pending, and CREATE
      // INDEX refuses to run while they are: they are checked first, as the commit would.
      std::string build = std::string("SET CONSTRAINTS ALL IMMEDIATE; SET LOCAL ") +
                          "maintenance_work_mem = '" + kIndexBuildMemory + "'; ";
      for (const auto& s : later.sql) build += s + "; ";
      later.sql.clear();
      return tx.db().ExecScript(build + "RESET maintenance_work_mem");
    });
  }
  return int(names.size());
}

}  // namespace

Result<int> PgTx::ExpectBulkLoad(Entity entity, int64_t expected_rows, BulkShape shape) {
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
  // Indexes are dropped only for a load into an EMPTY table. DROP INDEX holds the table's
  // ACCESS EXCLUSIVE lock until the commit, so every other connection's reads of the table wait
  // for the load: harmless when the table holds nothing to read yet, but a hub people work in
  // (a first ERP sync on top of an imported workbook) keeps its indexes and its readers, who
  // then never wait, as on SQLite (docs/postgresql.md, "Indexes of a first load").
  int indexes = 0;
  if (held == 0) {
    // The indexes of accounts without an ERP id or with an owner get none of an ERP sync's rows:
    // kept, they cost nothing, where building them again would read the whole table. So does
    // the index of merged accounts: a sync merges none. The covering index that leads with the
    // id is built after the load with the keys (pg_tx_bulk_keys.cc): at 200,000 customers its
    // entries cost the COPY 0.2 s of server CPU, its build 0.1 s.
    std::vector<std::string> keep, audit_keep;
    const bool erp = entity == Entity::kAccount && shape == BulkShape::kErpLinkedUnowned;
    if (erp) keep = {"accounts_unlinked", "accounts_owner", "accounts_merged_into"};
    // A sync's audit entries for its new accounts name no field: the index of field changes
    // (kpi_audit_at) gets none of them.
    if (erp) audit_keep = {"kpi_audit_at"};
    CX_ASSIGN_OR_RETURN(indexes, DeferIndexes(*this, table, keep));
    // The name index's keys likewise, when that index holds nothing yet (pg_tx_names.cc).
    if (people) pgnames::MayDeferNameKeys(*this);
    // The audit log gets an entry per record of the load: its indexes likewise when it holds
    // under a quarter of what is coming (its numbers run from 1 without a gap, so its highest
    // number is its size).
    CX_ASSIGN_OR_RETURN(pg::Rows audit, db().Query("SELECT coalesce(max(seq), 0) FROM audit"));
    if (audit.Next() && audit.Int(0) < quarter) {
      CX_ASSIGN_OR_RETURN(int audit_indexes, DeferIndexes(*this, "audit", audit_keep));
      indexes += audit_indexes;
    }
  }
  CX_ASSIGN_OR_RETURN(int triggers, PauseTriggers(*this, table, people));
  const int deferred = indexes + triggers;
  if (!people) return deferred;
  const char* kind = entity == Entity::kAccount ? "0" : "1";
  // The triggers of 0010_duplicates.sql read this setting, for a hub whose triggers its role
  // may not turn off; it ends with the transaction.
  CX_RETURN_IF_ERROR(
      db().Query(std::string("SELECT set_config('cxhub.dup_bulk_") + kind + "', 'on', true)")
          .status());
  CX_RETURN_IF_ERROR(
      db().Exec(std::string("UPDATE dup_state SET stale = true WHERE kind = ") + kind).status());
  // The accounts' keys go off at the load's first COPY (pg_tx_bulk_keys.cc).
  if (held == 0 && entity == Entity::kAccount && shape == BulkShape::kErpLinkedUnowned)
    pgbulk::MayDeferAccountKeys(*this);
  return deferred + 1;
}

// PostgreSQL's memory for a transaction's writes is the server's (shared buffers, WAL): nothing
// to reserve per transaction.
Status PgTx::ReserveLargeWriteMemory(int) { return Status::Ok(); }

}  // namespace cx
