// SQLite Tx: bulk loads (deferring the indexes and triggers a large load would update row by row)
// and the work done at commit (buffered writes, deferred indexes).
#include "store/sqlite/sqlite_tx.h"

#include <algorithm>
#include <thread>

#include "store/sqlite/sqlite_tx_rows.h"

namespace cx {

using namespace sqlite;  // Stmt and the row helpers of sqlite_tx_rows.h

namespace {
// An SQL identifier in double quotes.
std::string Quoted(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + '"';
}

// The (name, SQL) of the schema objects of a type ("index", "trigger") on a table; automatic
// indexes, which have no SQL, are left out.
Result<std::vector<std::pair<std::string, std::string>>> SchemaOf(sqlite::Db* db,
                                                                  const std::string& type,
                                                                  const std::string& table) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db->Prepare("SELECT name, sql FROM sqlite_master WHERE type = ?1 "
                                            "AND tbl_name = ?2 AND sql IS NOT NULL"));
  s->Bind(1, type).Bind(2, table);
  std::vector<std::pair<std::string, std::string>> found;
  while (s->Step()) found.emplace_back(s->Text(0), s->Text(1));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return found;
}
}  // namespace

Result<int> SqliteTx::ExpectBulkLoad(Entity entity, int64_t expected_rows, BulkShape shape) {
  if (entity != Entity::kAccount && entity != Entity::kContact && entity != Entity::kInteraction &&
      entity != Entity::kOrder)
    return Invalid(std::string("no bulk loading of ") + EntityPlural(entity));
  // The indexes of accounts without an ERP id and of accounts with an owner get none of an ERP
  // sync's rows: kept, they cost nothing, where building them again would read the whole table.
  // The covering index that leads with the id (accounts_match) is kept too: the sync's new
  // accounts take the next numbers of the store's own sequence, so their entries arrive in
  // the index's order and each is appended to its last page (the pages come out nearly as
  // full as a rebuild's: 12 % free instead of none), where rebuilding it would read the whole
  // table back from the log and sort it.
  std::vector<std::string> keep;
  if (entity == Entity::kAccount && shape == BulkShape::kErpLinkedUnowned)
    keep = {"accounts_unlinked", "accounts_owner", "accounts_match"};
  return DeferIndexesForBulk(EntityPlural(entity), expected_rows, keep);
}

Result<int> SqliteTx::DeferIndexesForBulk(const std::string& table, int64_t incoming,
                                          const std::vector<std::string>& keep) {
  if (table != "accounts" && table != "contacts" && table != "interactions" && table != "orders")
    return Internal("no bulk loading for table '" + table + "'");
  // The largest rowid bounds the row count and costs one step down the tree.
  CX_ASSIGN_OR_RETURN(Stmt * m, db_->Prepare("SELECT max(rowid) FROM " + table));
  int64_t held = m->Step() ? m->Int(0) : 0;
  Status st = m->status();
  m->Reset();
  CX_RETURN_IF_ERROR(st);
  if (incoming <= 4 * held) return 0;
  CX_ASSIGN_OR_RETURN(auto found, SchemaOf(db_, "index", table));
  int deferred = 0;
  for (const auto& [name, sql] : found) {
    if (std::find(keep.begin(), keep.end(), name) != keep.end()) continue;
    if (sql.rfind("CREATE UNIQUE", 0) == 0) continue;
    // A partial index covers only the rows its condition picks: keeping it up to date can
    // cost less than the full scan of the table that rebuilding it takes. Here the load brings
    // over four times the rows the table holds, so that scan reads at most a quarter more rows
    // than the load writes, and the partial indexes of accounts, contacts and orders (phone,
    // email) pick most of them: those are deferred too (a first ERP sync into a hub holding a
    // workbook kept them, and inserted a hundred thousand emails one by one into them). Those
    // of interactions (open next actions) pick few.
    const bool partial = sql.find(" WHERE ") != std::string::npos;
    if (partial && table == "interactions") continue;
    CX_RETURN_IF_ERROR(db_->Exec("DROP INDEX " + Quoted(name)));
    deferred_indexes_.push_back(sql);
    ++deferred;
  }
  if (deferred > 0) {
    // The triggers that mark changed records for the KPI activity aggregate and the duplicate
    // index would fire once per row: mark those for a full rebuild instead (at their next use)
    // and restore the triggers at the end.
    CX_ASSIGN_OR_RETURN(auto triggers, SchemaOf(db_, "trigger", table));
    bool kpi = false, dup = false, funnel = false;
    for (const auto& [name, sql] : triggers) {
      const bool is_kpi = name.rfind("kpi_activity_", 0) == 0, is_dup = name.rfind("dup_", 0) == 0;
      // The KPI funnel aggregate's triggers on interactions (0011_kpi_funnel.sql), likewise.
      const bool is_funnel = name.rfind("kpi_funnel_", 0) == 0;
      if (!is_kpi && !is_dup && !is_funnel) continue;
      CX_RETURN_IF_ERROR(db_->Exec("DROP TRIGGER " + Quoted(name)));
      deferred_indexes_.push_back(sql);
      kpi = kpi || is_kpi;
      dup = dup || is_dup;
      funnel = funnel || is_funnel;
    }
    if (kpi) CX_RETURN_IF_ERROR(db_->Exec("UPDATE kpi_activity_state SET stale = 1"));
    if (funnel) CX_RETURN_IF_ERROR(db_->Exec("UPDATE kpi_funnel_state SET stale = 1"));
    if (dup) {
      // The shared cache of match keys is emptied at the commit, and other processes' at
      // their next read (the marks that raise the version are not made during the load).
      db_->MarkKeysChanged();
      CX_RETURN_IF_ERROR(db_->Exec("UPDATE match_key_version SET n = n + 1 WHERE id = 1"));
      CX_RETURN_IF_ERROR(db_->Exec(std::string("UPDATE dup_state SET stale = 1 WHERE kind = ") +
                                   (table == "accounts" ? "0" : "1")));
    }
  }
  return deferred;
}

Status SqliteTx::BuildDeferredIndexes() {
  if (deferred_indexes_.empty()) return Status::Ok();
  // SQLite's sorter (CREATE INDEX) sorts in parallel only with its temporary files on disk
  // (with temp_store=MEMORY it runs no worker thread), and its runs are best kept small: at
  // five million orders the two order indexes took 15 s this way before and 5.6 s now.
  // Should SQLite refuse the temporary store here (only possible with TEMP tables open,
  // which cxhub never makes), or a build fail on disk (no writable temporary directory),
  // the indexes are built in memory on this thread: slower, never wrong (a failed
  // statement leaves nothing behind).
  const int threads = int(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  CX_RETURN_IF_ERROR(
      db_->Exec("PRAGMA cache_size = -" + std::to_string(sqlite::kIndexBuildCacheKiB)));
  bool on_disk =
      db_->Exec("PRAGMA temp_store = FILE; PRAGMA threads = " + std::to_string(threads)).ok();
  for (const auto& sql : deferred_indexes_) {
    Status built = db_->Exec(sql);
    if (!built.ok() && on_disk) {
      CX_RETURN_IF_ERROR(db_->Exec("PRAGMA temp_store = MEMORY; PRAGMA threads = 0"));
      on_disk = false;
      built = db_->Exec(sql);
    }
    CX_RETURN_IF_ERROR(built);
  }
  deferred_indexes_.clear();
  if (on_disk) CX_RETURN_IF_ERROR(db_->Exec("PRAGMA temp_store = MEMORY; PRAGMA threads = 0"));
  CX_RETURN_IF_ERROR(db_->Exec("PRAGMA cache_size = -" + std::to_string(sqlite::kCacheKiB)));
  return Status::Ok();
}

Status SqliteTx::Finish() {
  CX_RETURN_IF_ERROR(FlushNamesAlongside([this]() -> Status {
    CX_RETURN_IF_ERROR(FlushAudit());
    return BuildDeferredIndexes();
  }));
  for (const auto& [prefix, counter] : counters_) {
    const int64_t last = counter.last;
    CX_ASSIGN_OR_RETURN(Stmt * u,
                        db_->Prepare("INSERT INTO id_counters(prefix, next) VALUES (?1, ?2) "
                                     "ON CONFLICT(prefix) DO UPDATE SET next = MAX(next, ?2)"));
    u->Bind(1, prefix).Bind(2, last);
    Status st = u->Run();
    u->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  counters_.clear();
  return Status::Ok();
}

}  // namespace cx
