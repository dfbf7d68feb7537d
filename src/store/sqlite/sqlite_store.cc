// SQLite Store: migrations, transactions, backup. The per-entity SQL lives in sqlite_tx*.cc.
#include "store/sqlite/sqlite_store.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/embedded.h"
#include "store/sqlite/db.h"
#include "store/sqlite/match_key_cache.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

// How long a read that keeps derived tables waits for a writer before it reads instead, ms.
constexpr int kFreshWaitMs = 2000;

// A row of hub_loads: a load, when it started, and the process running it.
struct LoadRow {
  HubLoad load;
  int64_t started_at = 0;
  int64_t pid = 0;
  std::string host;
};

// Reads a finished backup whole (integrity_check): kInternal naming the first problems.
Status CheckCopy(sqlite3* dest, const std::string& path) {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(dest, "PRAGMA integrity_check(5)", -1, &q, nullptr) != SQLITE_OK)
    return sqlite::DbError(dest, "checking the backup '" + path + "'");
  std::vector<std::string> problems;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const unsigned char* v = sqlite3_column_text(q, 0);
    problems.push_back(v ? reinterpret_cast<const char*>(v) : "");
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return sqlite::DbError(dest, "checking the backup '" + path + "'");
  if (problems.size() == 1 && problems[0] == "ok") return Status::Ok();
  Status st = Internal("the backup copy " + path + " reads as damaged; nothing was written");
  for (auto& p : problems) st.AddDetail(std::move(p));
  return st;
}

class SqliteStore : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<sqlite::Db> db) : db_(std::move(db)) {
    // Shared by this process's stores on the same file (a server's workers); a hub without a
    // file name (none is opened so) keeps one of its own.
    const char* file = sqlite3_db_filename(db_->handle(), "main");
    keys_ = file && *file
                ? sqlite::MatchKeyCache::ForFile(file)
                : std::make_shared<sqlite::MatchKeyCache>(sqlite::MatchKeyCache::CapFromEnv());
  }

  Result<int> SchemaVersion() override {
    // Asked first, so that a read-only hub (where even CREATE TABLE IF NOT EXISTS counts as a
    // write) can be read.
    CX_ASSIGN_OR_RETURN(sqlite::Stmt * t,
                        db_->Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                     "name = 'schema_migrations'"));
    const bool exists = t->Step();
    CX_RETURN_IF_ERROR(t->status());
    t->Reset();
    if (!exists) {
      if (!db_->read_only_why().empty()) return 0;
      CX_RETURN_IF_ERROR(
          db_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                    "applied_at INTEGER NOT NULL)"));
    }
    CX_ASSIGN_OR_RETURN(sqlite::Stmt * s,
                        db_->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    int v = s->Step() ? int(s->Int(0)) : 0;
    CX_RETURN_IF_ERROR(s->status());
    s->Reset();
    return v;
  }

  Status Migrate() override {
    CX_ASSIGN_OR_RETURN(int version, SchemaVersion());
    // Every numbered migration not applied yet, in order (a gap left by a branch
    // that landed later is filled too).
    std::set<int> applied;
    if (version > 0) {
      CX_ASSIGN_OR_RETURN(sqlite::Stmt * q, db_->Prepare("SELECT version FROM schema_migrations"));
      while (q->Step()) applied.insert(int(q->Int(0)));
      CX_RETURN_IF_ERROR(q->status());
      q->Reset();
    }
    const std::string prefix = "src/store/migrations/sqlite/";
    // All in one transaction: each page is written to the write-ahead log once (a new hub's
    // migrations, one transaction each, left 4 MB of log beside a 2 MB file, and a small disk
    // had no room for it), and a failed migration leaves the hub as it was.
    bool begun = false;
    for (const auto& f : EmbeddedFiles()) {
      if (f.path.substr(0, prefix.size()) != prefix) continue;
      int version = std::stoi(std::string(f.path.substr(prefix.size(), 4)));
      if (applied.count(version)) continue;
      if (!db_->read_only_why().empty()) {
        return Internal("the hub " + db_->path() + " needs upgrading to this cxhub (migration " +
                        std::string(f.path.substr(prefix.size())) +
                        " is not applied) but cannot be written: " + db_->read_only_why() +
                        ". Make it writable once (any command upgrades it), or use the cxhub "
                        "that wrote it");
      }
      if (!begun) CX_RETURN_IF_ERROR(BeginWrite());
      begun = true;
      Status st = db_->Exec(std::string(f.content));
      if (st.ok()) {
        st = db_->Exec("INSERT INTO schema_migrations(version, applied_at) VALUES (" +
                       std::to_string(version) + ", strftime('%s','now'))");
      }
      if (!st.ok()) {
        RollBack(&st);
        return Internal("migration " + std::string(f.path) + " failed: " + st.message());
      }
    }
    if (!begun) return Status::Ok();
    CX_RETURN_IF_ERROR(Commit());
    keys_->Flush();  // a migration may rewrite any table
    versioned_.reset();
    // Written into the file and the log cut to nothing: a new or upgraded hub takes the room
    // of its file only.
    return db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  Status Transaction(const std::function<Status(Tx&)>& fn) override {
    CX_RETURN_IF_ERROR(BeginWrite());
    return Run(fn, true);
  }

  Status Read(const std::function<Status(Tx&)>& fn) override {
    // A deferred transaction takes no lock until it reads, and in WAL mode then reads the
    // last committed state while a writer goes on. query_only turns any write into an error
    // instead of a silent wait for the write lock.
    CX_RETURN_IF_ERROR(db_->SetQueryOnly(true));
    FlushIfKeysChanged();
    Status st = Kept("BEGIN");
    sqlite::MatchKeyCache* keys = nullptr;
    uint64_t gen = 0;
    if (st.ok() && keys_->cap() > 0) {
      auto at = KeyCacheGeneration();
      if (at.ok() && at->has_value()) {
        keys = keys_.get();
        gen = **at;
      } else if (!at.ok()) {
        st = at.status();
        RollBack(&st);  // the transaction begun is not left open
      }
    }
    if (st.ok()) st = Run(fn, false, keys, gen);
    Status off = db_->SetQueryOnly(false);
    return st.ok() ? off : st;
  }

  Status ReadFresh(const std::function<Status(Tx&)>& fn) override {
    if (!db_->read_only_why().empty() || !LiveLoads().empty()) return Read(fn);
    // No load: interactive writers are short, so wait for one a little. A writer that keeps
    // the hub longer (a load that began meanwhile) is not waited for: read then.
    sqlite3_busy_timeout(db_->handle(), std::min(db_->lock_wait_ms(), kFreshWaitMs));
    Status begin = BeginWrite();
    sqlite3_busy_timeout(db_->handle(), db_->lock_wait_ms());
    if (!begin.ok()) return db_->last_error() == SQLITE_BUSY ? Read(fn) : begin;
    return Run(fn, true);
  }

  // Under WAL, like every transaction, so that a reader keeps reading the hub as it was while
  // the load writes; except the first load into a hub that holds no records and that no other
  // connection has open: that one runs under a rollback journal, which writes each new page
  // once instead of twice, and WAL mode is back before the answer (docs/operations.md, "Bulk
  // loads and the write-ahead log").
  Status BulkTransaction(const HubLoad& load, const std::function<Status(Tx&)>& fn) override {
    if (!db_->read_only_why().empty()) return ReadOnlyRefusal();
    int64_t id = 0;
    CX_RETURN_IF_ERROR(RecordLoad(load, &id));
    const bool journal = HoldsNoRecords() && LeaveWalIfAlone();
    Status st = Transaction(fn);
    // The load may have asked for a larger page cache (ReserveLargeWriteMemory): the
    // connection goes back to the usual one, which a server's later requests share.
    (void)db_->Exec("PRAGMA cache_size = -" + std::to_string(sqlite::kCacheKiB));
    // The load may have dropped the triggers that mark changed keys (sqlite_tx_bulk.cc).
    keys_->Flush();
    // Back to WAL, waiting (up to the lock wait) for a process that opened the hub during
    // the load and reads it now. The load's answer stands either way: committed, it is on
    // disk, and a hub left under the rollback journal is valid; the next process to open it
    // puts WAL back (sqlite::Db::Open), so this failure is not the load's.
    if (journal) (void)db_->Exec("PRAGMA journal_mode=WAL");
    // The row only names the holder: one left behind (the process was killed here, or this
    // write failed) belongs to a dead process, which LiveLoads ignores and the next load
    // removes. So a failure here does not undo a load that was committed.
    (void)Transaction([&](Tx&) -> Status {
      CX_ASSIGN_OR_RETURN(sqlite::Stmt * d, db_->Prepare("DELETE FROM hub_loads WHERE id = ?"));
      d->Bind(1, id);
      Status s = d->Run();
      d->Reset();
      return s;
    });
    return st;
  }

  // A new connection to the same file (its own page cache and statements), sharing this
  // process's cache of committed match keys. Under WAL its reads see the last commit while this
  // connection writes; a hub under a rollback journal (a first load into an empty hub) offers
  // none, since the reader would wait for the load to end.
  Result<std::unique_ptr<Store>> OpenSibling() override {
    if (db_->path().empty() || !db_->read_only_why().empty()) return std::unique_ptr<Store>();
    CX_ASSIGN_OR_RETURN(sqlite::Stmt * m, db_->Prepare("PRAGMA journal_mode"));
    const bool wal = m->Step() && m->Text(0) == "wal";
    CX_RETURN_IF_ERROR(m->status());
    m->Reset();
    if (!wal) return std::unique_ptr<Store>();
    return OpenSqliteStore(db_->path());
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
    // The copy is read back whole: a page the disk mangled on the way shows here, not on the
    // day the copy is needed.
    if (st.ok()) st = CheckCopy(dest, path);
    sqlite3_close(dest);
    return st;
  }

  Result<bool> IsCopyOfThisHub(const std::string& path) override {
    CX_ASSIGN_OR_RETURN(sqlite::Stmt * s,
                        db_->Prepare("SELECT value FROM settings WHERE key = 'hub_id'"));
    std::string mine = s->Step() ? s->Text(0) : "";
    CX_RETURN_IF_ERROR(s->status());
    s->Reset();
    if (mine.empty()) return false;
    sqlite3* other = nullptr;
    bool same = false;
    if (sqlite3_open_v2(path.c_str(), &other, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* q = nullptr;
      if (sqlite3_prepare_v2(other, "SELECT value FROM settings WHERE key = 'hub_id'", -1, &q,
                             nullptr) == SQLITE_OK &&
          sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char* v = sqlite3_column_text(q, 0);
        same = v && mine == reinterpret_cast<const char*>(v);
      }
      sqlite3_finalize(q);
    }
    sqlite3_close(other);
    return same;
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
  // Takes the write lock, waiting up to the lock wait. A busy hub's error names the load
  // that holds it when one is recorded.
  Status BeginWrite() {
    if (!db_->read_only_why().empty()) return ReadOnlyRefusal();
    db_->SetLastError(SQLITE_OK);
    FlushIfKeysChanged();
    Status st = db_->Exec("BEGIN IMMEDIATE");
    if (st.ok() || db_->last_error() != SQLITE_BUSY) return st;
    std::vector<LoadRow> loads = LiveLoads();
    db_->SetLastError(SQLITE_BUSY);  // whatever LiveLoads met, this failure is "busy"
    if (loads.empty()) return st;
    const LoadRow& l = loads.front();
    return Internal("the hub " + db_->path() + " is busy: " + l.load.what +
                    " holds it, started by " + l.load.by + " at " + FormatUtc(l.started_at) +
                    " (process " + std::to_string(l.pid) + " on " + l.host + "); waited " +
                    WaitSeconds() +
                    " s and wrote nothing. Run the command again when that load has finished "
                    "(or wait longer: CXHUB_LOCK_WAIT=SECONDS)");
  }

  // Runs `fn` in the transaction just begun, then commits or rolls back.
  Status Run(const std::function<Status(Tx&)>& fn, bool writable,
             sqlite::MatchKeyCache* keys = nullptr, uint64_t gen = 0) {
    Status st;
    try {
      SqliteTx tx(db_.get(), writable);
      if (keys) tx.UseKeyCache(keys, gen);
      st = fn(tx);
      if (st.ok() && writable) st = tx.Finish();
    } catch (const std::exception& e) {
      st = Internal(std::string("unexpected error: ") + e.what());
    }
    if (!st.ok()) {
      RollBack(&st);
      return st;
    }
    if (!writable) {
      st = Kept("COMMIT");
      if (!st.ok()) RollBack(&st);
      return st;
    }
    return Commit();
  }

  // Runs a statement kept prepared: a read transaction's BEGIN and COMMIT, two of every API
  // request (its caller, then its answer), each parsed again by Exec.
  Status Kept(const std::string& sql) {
    CX_ASSIGN_OR_RETURN(sqlite::Stmt * s, db_->Prepare(sql));
    return sqlite::RunAndReset(s);
  }

  // Commits; a transaction that changed match keys then empties the cache at once (readers
  // would otherwise empty it at their next look at the match key version, which the change
  // raised: KeyCacheGeneration).
  Status Commit() {
    Status st = db_->Exec("COMMIT");
    if (!st.ok()) {
      RollBack(&st);
      return st;
    }
    if (db_->TakeKeysChanged()) keys_->Flush();
    return st;
  }

  // A change of keys written outside a transaction (none is, but a statement run on its own
  // commits at once) is not left for the next commit to see.
  void FlushIfKeysChanged() {
    if (db_->TakeKeysChanged()) keys_->Flush();
  }

  // The generation under which this read transaction, just begun, may read and fill the cache
  // (docs/search.md, "Speed": why the cache is right). Reading the match key version (0072)
  // starts its snapshot; the cache holds the keys of one version, and is emptied for another.
  // None on a hub not yet at 0072 (a process that reads a hub without migrating it, such as a
  // read-only one): no cache then.
  Result<std::optional<uint64_t>> KeyCacheGeneration() {
    if (!versioned_) {
      CX_ASSIGN_OR_RETURN(sqlite::Stmt * t,
                          db_->Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                       "name = 'match_key_version'"));
      const bool found = t->Step();
      Status st = t->status();
      t->Reset();
      CX_RETURN_IF_ERROR(st);
      versioned_ = found;
    }
    if (!*versioned_) return std::optional<uint64_t>();
    // The version is the counter and the duplicate log's last row (0080): every record whose
    // keys change appends a row to dup_dirty (its rowid one past the largest), and whatever
    // takes rows out of the log, or changes keys without the log (a bulk load), raises the
    // counter, so that no pair is seen twice.
    CX_ASSIGN_OR_RETURN(sqlite::Stmt * s,
                        db_->Prepare("SELECT n, (SELECT max(rowid) FROM dup_dirty) FROM "
                                     "match_key_version WHERE id = 1"));
    const bool row = s->Step();
    const int64_t version = row ? int64_t(uint64_t(s->Int(0)) << 32 ^ uint64_t(s->Int(1))) : -1;
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
    if (!row) return Internal("the hub's match_key_version table holds no row (damaged hub)");
    return std::optional<uint64_t>(keys_->AtVersion(version));
  }

  // Rolls back what is still open. SQLite has already rolled back a transaction that met a
  // full disk or an I/O error; saying "the rollback failed: no transaction is active" then
  // only hid the real error.
  void RollBack(Status* st) {
    (void)db_->TakeKeysChanged();  // what was rolled back changed nothing
    if (sqlite3_get_autocommit(db_->handle())) return;
    Status rb = db_->Exec("ROLLBACK");
    if (!rb.ok()) st->AddDetail("and the rollback failed: " + rb.message());
  }

  // Whether the hub holds no accounts, contacts, interactions or orders (the records a bulk
  // load writes): its file then holds only settings and registries, a few pages.
  bool HoldsNoRecords() {
    auto q = db_->Prepare(
        "SELECT NOT EXISTS (SELECT 1 FROM accounts) AND NOT EXISTS (SELECT 1 FROM contacts) "
        "AND NOT EXISTS (SELECT 1 FROM interactions) AND NOT EXISTS (SELECT 1 FROM orders)");
    if (!q.ok()) return false;
    const bool empty = (*q)->Step() && (*q)->Int(0) == 1;
    (*q)->Reset();
    return empty;
  }

  // Leaves WAL mode for a rollback journal when no other connection has the hub open: SQLite
  // needs the exclusive lock to close the log, and refuses at once (without waiting) while
  // another connection holds the hub, so the switch itself is the test. False when refused:
  // the load then runs under WAL as any other. Under the rollback journal a page the load adds
  // is written once, where the log writes it twice (into the log, then at the checkpoint); the
  // journal holds only the pages that existed before, few in a hub without records.
  bool LeaveWalIfAlone() {
    std::string mode;
    auto keep = [](void* out, int, char** values, char**) {
      if (values[0]) *static_cast<std::string*>(out) = values[0];
      return 0;
    };
    const int rc = sqlite3_exec(db_->handle(), "PRAGMA journal_mode=DELETE", keep, &mode, nullptr);
    return rc == SQLITE_OK && mode == "delete";
  }

  Status ReadOnlyRefusal() {
    return Internal("the hub " + db_->path() + " cannot be written: " + db_->read_only_why() +
                    ". Nothing was written; commands that only read still work. To change the "
                    "hub, make the file and its folder writable for this user");
  }

  // Records a bulk load in a transaction of its own (removing the rows of dead processes of
  // this host), so that others see it while it runs.
  Status RecordLoad(const HubLoad& load, int64_t* id) {
    const std::string host = HostName();
    CX_RETURN_IF_ERROR(BeginWrite());
    Status st = [&]() -> Status {
      CX_ASSIGN_OR_RETURN(sqlite::Stmt * q,
                          db_->Prepare("SELECT id, pid FROM hub_loads WHERE host = ?"));
      q->Bind(1, host);
      std::vector<int64_t> dead;
      while (q->Step()) {
        if (!ProcessAlive(q->Int(1))) dead.push_back(q->Int(0));
      }
      Status s = q->status();
      q->Reset();
      CX_RETURN_IF_ERROR(s);
      for (int64_t d : dead) {
        CX_ASSIGN_OR_RETURN(sqlite::Stmt * del, db_->Prepare("DELETE FROM hub_loads WHERE id = ?"));
        del->Bind(1, d);
        s = del->Run();
        del->Reset();
        CX_RETURN_IF_ERROR(s);
      }
      CX_ASSIGN_OR_RETURN(
          sqlite::Stmt * ins,
          db_->Prepare("INSERT INTO hub_loads(what, started_by, started_at, pid, host) VALUES "
                       "(?, ?, ?, ?, ?)"));
      ins->Bind(1, load.what.empty() ? std::string("a bulk load") : load.what)
          .Bind(2, load.by.empty() ? std::string("cli") : load.by)
          .Bind(3, int64_t(std::time(nullptr)))
          .Bind(4, int64_t(::getpid()))
          .Bind(5, host);
      s = ins->Run();
      ins->Reset();
      *id = sqlite3_last_insert_rowid(db_->handle());
      return s;
    }();
    if (!st.ok()) {
      RollBack(&st);
      return st;
    }
    return Commit();
  }

  // The recorded loads whose process still runs (or runs on another host, where it cannot be
  // told), oldest first; none when the table cannot be read.
  std::vector<LoadRow> LiveLoads() {
    std::vector<LoadRow> out;
    auto q =
        db_->Prepare("SELECT what, started_by, started_at, pid, host FROM hub_loads ORDER BY id");
    if (!q.ok()) return out;
    const std::string host = HostName();
    while ((*q)->Step()) {
      LoadRow l{HubLoad{(*q)->Text(0), (*q)->Text(1)}, (*q)->Int(2), (*q)->Int(3), (*q)->Text(4)};
      if (l.host != host || ProcessAlive(l.pid)) out.push_back(std::move(l));
    }
    (*q)->Reset();
    return out;
  }

  static std::string HostName() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "?";
    return buf;
  }

  static bool ProcessAlive(int64_t pid) {
    if (pid <= 0) return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
  }

  static std::string FormatUtc(int64_t t) {
    std::time_t tt = std::time_t(t);
    std::tm tm{};
    ::gmtime_r(&tt, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
  }

  std::string WaitSeconds() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", db_->lock_wait_ms() / 1000.0);
    return buf;
  }

  std::unique_ptr<sqlite::Db> db_;
  std::shared_ptr<sqlite::MatchKeyCache> keys_;
  // Whether the hub has the match key version (0072); asked at the first read, and again after
  // a migration.
  std::optional<bool> versioned_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  CX_ASSIGN_OR_RETURN(auto db, sqlite::Db::Open(path));
  return std::unique_ptr<Store>(new SqliteStore(std::move(db)));
}

}  // namespace cx
