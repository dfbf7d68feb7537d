// SQLite Store: migrations, transactions, backup. The per-entity SQL lives in sqlite_tx*.cc.
#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <set>
#include <string>

#include "base/embedded.h"
#include "store/sqlite/db.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

class SqliteStore : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<sqlite::Db> db) : db_(std::move(db)) {}

  Result<int> SchemaVersion() override {
    CX_RETURN_IF_ERROR(
        db_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                  "applied_at INTEGER NOT NULL)"));
    CX_ASSIGN_OR_RETURN(sqlite::Stmt * s,
                        db_->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    int v = s->Step() ? int(s->Int(0)) : 0;
    CX_RETURN_IF_ERROR(s->status());
    s->Reset();
    return v;
  }

  Status Migrate() override {
    CX_RETURN_IF_ERROR(SchemaVersion().status());
    // Every numbered migration not applied yet, in order (a gap left by a branch
    // that landed later is filled too).
    std::set<int> applied;
    CX_ASSIGN_OR_RETURN(sqlite::Stmt * q, db_->Prepare("SELECT version FROM schema_migrations"));
    while (q->Step()) applied.insert(int(q->Int(0)));
    CX_RETURN_IF_ERROR(q->status());
    q->Reset();
    const std::string prefix = "src/store/migrations/sqlite/";
    for (const auto& f : EmbeddedFiles()) {
      if (f.path.substr(0, prefix.size()) != prefix) continue;
      int version = std::stoi(std::string(f.path.substr(prefix.size(), 4)));
      if (applied.count(version)) continue;
      CX_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
      Status st = db_->Exec(std::string(f.content));
      if (st.ok()) {
        st = db_->Exec("INSERT INTO schema_migrations(version, applied_at) VALUES (" +
                       std::to_string(version) + ", strftime('%s','now'))");
      }
      if (!st.ok()) {
        (void)db_->Exec("ROLLBACK");
        return Internal("migration " + std::string(f.path) + " failed: " + st.message());
      }
      CX_RETURN_IF_ERROR(db_->Exec("COMMIT"));
    }
    return Status::Ok();
  }

  Status Transaction(const std::function<Status(Tx&)>& fn) override {
    CX_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
    Status st;
    try {
      SqliteTx tx(db_.get());
      st = fn(tx);
      if (st.ok()) st = tx.Finish();
    } catch (const std::exception& e) {
      st = Internal(std::string("unexpected error: ") + e.what());
    }
    if (!st.ok()) {
      Status rb = db_->Exec("ROLLBACK");
      if (!rb.ok()) st.AddDetail("and the rollback failed: " + rb.message());
      return st;
    }
    return db_->Exec("COMMIT");
  }

  // WAL writes every page twice (into the log, then back into the database at the
  // checkpoint). A rollback journal keeps the old content of pages that change, and pages
  // past the database's original end have none: a bulk load is written once. Leaving WAL
  // needs the database to itself, so with other connections open this is a plain
  // transaction. Killed mid-way, the hot journal is rolled back by the next open.
  Status BulkTransaction(const std::function<Status(Tx&)>& fn) override {
    sqlite3_busy_timeout(db_->handle(), 0);  // another user: do not wait, fall back
    std::string mode;  // stays empty when the switch is refused: then a plain transaction
    if (auto s = db_->Prepare("PRAGMA journal_mode=DELETE"); s.ok()) {
      if ((*s)->Step()) mode = (*s)->Text(0);
      (*s)->Reset();
    }
    sqlite3_busy_timeout(db_->handle(), sqlite::kBusyTimeoutMs);
    const bool rollback_journal = mode == "delete";
    // Every commit step synced, as WAL's NORMAL is safe and the rollback journal's is not.
    if (rollback_journal) CX_RETURN_IF_ERROR(db_->Exec("PRAGMA synchronous=FULL"));
    Status st = Transaction(fn);
    if (rollback_journal) {
      Status back = db_->Exec("PRAGMA synchronous=NORMAL; PRAGMA journal_mode=WAL");
      if (!back.ok()) {
        if (!st.ok()) {
          st.AddDetail("and the database could not return to WAL mode: " + back.message());
        } else {
          return Internal(
              "the changes were committed, but the database could not return to "
              "WAL mode (it will at its next opening): " +
              back.message());
        }
      }
    }
    return st;
  }

  Status Backup(const std::string& path) override {
    sqlite3* dest = nullptr;
    if (sqlite3_open(path.c_str(), &dest) != SQLITE_OK) {
      Status st = Internal("cannot create backup '" + path + "': " + sqlite3_errmsg(dest));
      sqlite3_close(dest);
      return st;
    }
    sqlite3_backup* b = sqlite3_backup_init(dest, "main", db_->handle(), "main");
    if (!b) {
      Status st = sqlite::DbError(dest, "backup to '" + path + "'");
      sqlite3_close(dest);
      return st;
    }
    // Copy in steps so writers are not blocked for the whole copy; restarts when
    // the source changes, so the result is one consistent snapshot.
    int rc;
    do {
      rc = sqlite3_backup_step(b, 1024);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    Status st =
        rc == SQLITE_DONE ? Status::Ok() : sqlite::DbError(dest, "backup to '" + path + "'");
    sqlite3_close(dest);
    return st;
  }

  Result<int64_t> SizeBytes() override {
    CX_ASSIGN_OR_RETURN(
        sqlite::Stmt * s,
        db_->Prepare("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"));
    int64_t v = s->Step() ? s->Int(0) : 0;
    CX_RETURN_IF_ERROR(s->status());
    s->Reset();
    return v;
  }

 private:
  std::unique_ptr<sqlite::Db> db_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  CX_ASSIGN_OR_RETURN(auto db, sqlite::Db::Open(path));
  return std::unique_ptr<Store>(new SqliteStore(std::move(db)));
}

}  // namespace cx
