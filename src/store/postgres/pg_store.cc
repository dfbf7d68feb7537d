// PostgreSQL Store: migrations, transactions and their retries, bulk loads. The per-area SQL
// lives in pg_tx_*.cc.
#include "store/postgres/pg_store.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "base/embedded.h"
#include "store/postgres/pg_db.h"
#include "store/postgres/pg_tx.h"

namespace cx {
namespace {

// How many times a transaction that met a serialization failure or a deadlock is run again
// before the failure is reported.
constexpr int kAttempts = 10;
// How long a read that keeps derived tables waits for a writer before it reads instead, ms.
constexpr int kFreshWaitMs = 2000;
// The hub's write lock, an advisory lock (docs/postgresql.md, "Isolation"): held shared by a
// write transaction whose statements may run beside other writers', exclusive by every other.
constexpr int64_t kHubWriteLock = 0x6378687562;  // "cxhub"
// The advisory lock that makes two servers starting at once migrate one after the other.
constexpr int64_t kMigrateLock = 0x637868756d;
// The folder of this backend's migrations among the embedded files.
constexpr std::string_view kMigrations = "src/store/migrations/postgres/";

// How long a write waits for another writer, ms: $CXHUB_LOCK_WAIT seconds when set and valid
// (as for SQLite, docs/operations.md), else 30 s.
int LockWaitMs() {
  const char* v = std::getenv("CXHUB_LOCK_WAIT");
  if (!v || !*v) return 30000;
  char* end = nullptr;
  const double s = std::strtod(v, &end);
  if (end == v || *end != '\0' || !std::isfinite(s) || s < 0 || s > 86400) return 30000;
  return int(s * 1000);
}

// What the write transactions of one piece of code (one lambda type, the `fn` a service hands
// to Store::Transaction) were seen to need: unknown until one ran, then whether every statement
// of it could run beside other writers. Process-wide: every connection learns from all.
enum class WriteKind { kUnknown, kBeside, kAlone };

class WriteKinds {
 public:
  WriteKind Get(const std::function<Status(Tx&)>& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = kinds_.find(std::type_index(fn.target_type()));
    return it == kinds_.end() ? WriteKind::kUnknown : it->second;
  }
  void Set(const std::function<Status(Tx&)>& fn, WriteKind k) {
    std::lock_guard<std::mutex> lock(mu_);
    kinds_[std::type_index(fn.target_type())] = k;
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::type_index, WriteKind> kinds_;
};

WriteKinds& Kinds() {
  static WriteKinds* k = new WriteKinds();  // never destroyed: used until the process ends
  return *k;
}

std::string FormatUtc(int64_t t) {
  std::time_t tt = std::time_t(t);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string HostName() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "?";
  return buf;
}

class PgStore : public Store {
 public:
  explicit PgStore(std::unique_ptr<pg::Db> db) : db_(std::move(db)) {}

  Result<int> SchemaVersion() override {
    CX_ASSIGN_OR_RETURN(pg::Rows t, db_->Query("SELECT to_regclass('schema_migrations') IS NULL"));
    if (!t.Next() || t.Bool(0)) return 0;
    CX_ASSIGN_OR_RETURN(pg::Rows r,
                        db_->Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    return r.Next() ? int(r.Int(0)) : 0;
  }

  // Every migration file not applied yet, in name order, each in its own transaction with its
  // name recorded. A second server starting at the same moment waits on an advisory lock and
  // then finds them applied.
  Status Migrate() override {
    CX_RETURN_IF_ERROR(
        db_->ExecScript("SELECT pg_advisory_lock(" + std::to_string(kMigrateLock) + ")"));
    Status st = MigrateLocked();
    Status unlock =
        db_->ExecScript("SELECT pg_advisory_unlock(" + std::to_string(kMigrateLock) + ")");
    return st.ok() ? unlock : st;
  }

  Status Transaction(const std::function<Status(Tx&)>& fn) override {
    return Write(fn, LockWaitMs(), nullptr, false);
  }

  Status Read(const std::function<Status(Tx&)>& fn) override {
    return Attempts([&]() -> Status {
      CX_RETURN_IF_ERROR(db_->ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
      return Run(fn, false);
    });
  }

  Status ReadFresh(const std::function<Status(Tx&)>& fn) override {
    auto loads = LiveLoads();
    if (!loads.ok()) return loads.status();
    if (!loads->empty()) return Read(fn);
    bool busy = false;
    Status st = Write(fn, std::min(LockWaitMs(), kFreshWaitMs), &busy, false);
    if (busy) return Read(fn);
    return st;
  }

  Status BulkTransaction(const HubLoad& load, const std::function<Status(Tx&)>& fn) override {
    int64_t id = 0;
    CX_RETURN_IF_ERROR(RecordLoad(load, &id));
    // A load holds the hub to itself from its first statement.
    Status st = Write(fn, LockWaitMs(), nullptr, true);
    // The row only names the holder: one left behind (a killed process) belongs to a backend
    // that is gone, which LiveLoads ignores and the next load removes.
    (void)db_->Exec("DELETE FROM hub_loads WHERE id = $1", pg::Params().Add(id));
    return st;
  }

  Status Backup(const std::string&) override {
    return Invalid(
        "`cxhub backup` writes SQLite files; a PostgreSQL hub is backed up with the server's "
        "own tools: pg_dump --format=custom --file=hub.dump against " +
        db_->server() + " (restore with pg_restore into an empty database; docs/postgresql.md)");
  }

  // A PostgreSQL hub has no file copies: no file is a copy of it.
  Result<bool> IsCopyOfThisHub(const std::string&) override { return false; }

  Result<int64_t> SizeBytes() override {
    CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query("SELECT pg_database_size(current_database())"));
    return r.Next() ? r.Int(0) : 0;
  }

 private:
  Status MigrateLocked() {
    CX_RETURN_IF_ERROR(db_->ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, version integer "
        "NOT NULL, applied_at bigint NOT NULL)"));
    std::set<std::string> applied;
    {
      CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query("SELECT name FROM schema_migrations"));
      while (r.Next()) applied.insert(r.Text(0));
    }
    // EmbeddedFiles() is sorted by path: lexical order of the file names.
    for (const auto& f : EmbeddedFiles()) {
      if (f.path.substr(0, kMigrations.size()) != kMigrations) continue;
      const std::string name(f.path.substr(kMigrations.size()));
      if (name.size() < 5 || applied.count(name)) continue;
      const int version = std::atoi(name.substr(0, 4).c_str());
      CX_RETURN_IF_ERROR(db_->ExecScript("BEGIN"));
      Status st = db_->ExecScript(std::string(f.content));
      if (st.ok()) {
        st = db_->Exec(
                    "INSERT INTO schema_migrations(name, version, applied_at) VALUES ($1, $2, "
                    "extract(epoch FROM now())::bigint)",
                    pg::Params().Add(name).Add(version))
                 .status();
      }
      if (st.ok()) st = db_->ExecScript("COMMIT");
      if (!st.ok()) {
        RollBack(&st);
        return Internal("migration " + std::string(f.path) + " failed on the PostgreSQL hub " +
                        db_->server() + ": " + st.message());
      }
    }
    return Status::Ok();
  }

  // Runs `attempt` again while it fails with a serialization failure or a deadlock, up to
  // kAttempts times, waiting a little longer (with jitter) each time.
  Status Attempts(const std::function<Status()>& attempt) {
    Status st;
    for (int n = 0; n < kAttempts; ++n) {
      db_->ClearRetryable();
      st = attempt();
      if (st.ok() || !db_->retryable()) return st;
      static thread_local std::mt19937 rng{std::random_device{}()};
      std::uniform_int_distribution<int> jitter(0, 1 << std::min(n, 7));
      std::this_thread::sleep_for(std::chrono::milliseconds(1 + jitter(rng)));
    }
    st.AddDetail("gave up after " + std::to_string(kAttempts) +
                 " attempts: other writers kept changing the same rows");
    return st;
  }

  // A write transaction (docs/postgresql.md, "Isolation"): READ COMMITTED, holding the hub's
  // write lock from its first statement to its end. The lock is taken at that first statement,
  // in the mode it needs: shared when the statement is one that may run beside other writers'
  // (a ConcurrentOk scope is open: logging an interaction, an idempotency key, a session), so
  // such transactions run at once, on this server and on others; exclusive for any other, so
  // that a transaction of any other kind runs alone, as on SQLite, and sees all that committed
  // before it. A transaction that began shared and then reaches a statement that needs the
  // hub to itself is rolled back and run again exclusive from its start (what it read beside
  // other writers may be stale by then); `exclusive_only` starts exclusive (a bulk load).
  // So that a caller never sees such a re-run, the code that runs a transaction for the first
  // time (WriteKinds) runs it exclusive and watches its statements: when every one could have
  // run beside other writers, its later transactions begin shared; a later one that still
  // reaches a statement that needs the hub to itself (another path through the same code) is
  // run again once and the code runs exclusive from then on.
  // The lock is waited for up to `wait_ms`; a wait that runs out says which load holds the
  // hub (or sets *busy when given). Serialization failures and deadlocks between the rows
  // that shared writers lock are run again (Attempts).
  Status Write(const std::function<Status(Tx&)>& fn, int wait_ms, bool* busy, bool exclusive_only) {
    const WriteKind kind = exclusive_only ? WriteKind::kAlone : Kinds().Get(fn);
    bool exclusive = kind != WriteKind::kBeside;  // kept from one attempt to the next
    return Attempts([&]() -> Status {
      CX_RETURN_IF_ERROR(db_->ExecScript("BEGIN ISOLATION LEVEL READ COMMITTED"));
      enum class Held { kNone, kShared, kExclusive };
      Held held = Held::kNone;
      bool timed_out = false, restart = false, all_beside = true;
      db_->SetStatementGuard([&]() -> Status {
        all_beside = all_beside && db_->concurrent_ok();
        const bool beside = !exclusive && db_->concurrent_ok();
        if (held == Held::kExclusive || (held == Held::kShared && beside)) return Status::Ok();
        if (held == Held::kShared) {
          exclusive = true;
          restart = true;
          Kinds().Set(fn, WriteKind::kAlone);
          db_->MarkRetryable();
          return Internal(
              "this write needs the hub to itself: it is run again holding the "
              "hub's write lock");
        }
        Status st =
            db_->ExecScript("SET LOCAL lock_timeout = " + std::to_string(wait_ms) + "; SELECT " +
                            (beside ? "pg_advisory_xact_lock_shared(" : "pg_advisory_xact_lock(") +
                            std::to_string(kHubWriteLock) + "); SET LOCAL lock_timeout = 0");
        if (!st.ok()) {
          timed_out = db_->last_sqlstate() == "55P03";
          return st;
        }
        held = beside ? Held::kShared : Held::kExclusive;
        return Status::Ok();
      });
      Status st = Run(fn, true, &restart);
      db_->SetStatementGuard(nullptr);
      if (kind == WriteKind::kUnknown && held != Held::kNone && !timed_out && !restart) {
        Kinds().Set(fn, all_beside ? WriteKind::kBeside : WriteKind::kAlone);
      }
      if (!timed_out) return st;
      if (busy) {
        *busy = true;
        return st;
      }
      return BusyError(wait_ms);
    });
  }

  Status BusyError(int wait_ms) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%g", wait_ms / 1000.0);
    auto loads = LiveLoads();
    if (!loads.ok() || loads->empty()) {
      return Internal("the PostgreSQL hub " + db_->server() + " is busy: another writer held it " +
                      secs + " s; nothing was written. Run the command again");
    }
    const LoadRow& l = loads->front();
    return Internal("the hub " + db_->server() + " is busy: " + l.load.what +
                    " holds it, started by " + l.load.by + " at " + FormatUtc(l.started_at) +
                    " (process " + std::to_string(l.pid) + " on " + l.host + "); waited " + secs +
                    " s and wrote nothing. Run the command again when that load has finished "
                    "(or wait longer: CXHUB_LOCK_WAIT=SECONDS)");
  }

  // Runs `fn` in the transaction just begun, then commits or rolls back. When *restart is set
  // by then (the transaction must run again holding the hub to itself) it rolls back whatever
  // `fn` answered.
  Status Run(const std::function<Status(Tx&)>& fn, bool writable, const bool* restart = nullptr) {
    Status st;
    try {
      PgTx tx(db_.get(), writable);
      st = fn(tx);
      if (st.ok() && writable) st = tx.Finish();
    } catch (const std::exception& e) {
      st = Internal(std::string("unexpected error: ") + e.what());
    }
    if (restart && *restart) {
      if (st.ok()) st = Internal("this write needs the hub to itself: it is run again");
      RollBack(&st);
      return st;
    }
    if (st.ok() && db_->TransactionFailed()) {
      // A statement failed and `fn` went on: PostgreSQL would answer COMMIT with a silent
      // rollback. A read has nothing to lose; a write says so.
      if (!writable) {
        RollBack(&st);
        return st;
      }
      st = Internal("the transaction was rolled back: a statement in it failed (" +
                    db_->last_error() + ")");
    }
    if (!st.ok()) {
      RollBack(&st);
      return st;
    }
    db_->SetStatementGuard(nullptr);
    st = db_->ExecScript("COMMIT");
    if (!st.ok()) RollBack(&st);
    return st;
  }

  void RollBack(Status* st) {
    db_->SetStatementGuard(nullptr);
    if (!db_->InTransaction()) return;
    // (The "run again" mark of a serialization failure survives the rollback: Attempts reads it.)
    Status rb = db_->ExecScript("ROLLBACK");
    if (!rb.ok()) st->AddDetail("and the rollback failed: " + rb.message());
  }

  struct LoadRow {
    HubLoad load;
    int64_t started_at = 0;
    int64_t pid = 0;
    std::string host;
  };

  // Records a bulk load in a transaction of its own (removing the rows of loads whose backend
  // is gone), so that others see it while it runs.
  Status RecordLoad(const HubLoad& load, int64_t* id) {
    return Attempts([&]() -> Status {
      CX_RETURN_IF_ERROR(db_->ExecScript("BEGIN"));
      Status st = [&]() -> Status {
        CX_RETURN_IF_ERROR(db_->Exec("DELETE FROM hub_loads WHERE backend_pid NOT IN (SELECT pid "
                                     "FROM pg_stat_activity WHERE pid IS NOT NULL)")
                               .status());
        CX_ASSIGN_OR_RETURN(
            pg::Rows r,
            db_->Query("INSERT INTO hub_loads(what, started_by, started_at, pid, host, "
                       "backend_pid) VALUES ($1, $2, $3, $4, $5, pg_backend_pid()) RETURNING id",
                       pg::Params()
                           .Add(load.what.empty() ? std::string("a bulk load") : load.what)
                           .Add(load.by.empty() ? std::string("cli") : load.by)
                           .Add(int64_t(std::time(nullptr)))
                           .Add(int64_t(::getpid()))
                           .Add(HostName())));
        *id = r.Next() ? r.Int(0) : 0;
        return Status::Ok();
      }();
      if (st.ok()) st = db_->ExecScript("COMMIT");
      if (!st.ok()) RollBack(&st);
      return st;
    });
  }

  // The recorded loads whose backend still runs, oldest first. Works inside or outside a
  // transaction (it starts none).
  Result<std::vector<LoadRow>> LiveLoads() {
    if (db_->InTransaction()) return std::vector<LoadRow>();
    CX_ASSIGN_OR_RETURN(
        pg::Rows r,
        db_->Query("SELECT what, started_by, started_at, pid, host FROM hub_loads WHERE "
                   "backend_pid IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL) "
                   "ORDER BY id"));
    std::vector<LoadRow> out;
    while (r.Next())
      out.push_back(LoadRow{HubLoad{r.Text(0), r.Text(1)}, r.Int(2), r.Int(3), r.Text(4)});
    return out;
  }

  std::unique_ptr<pg::Db> db_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url) {
  CX_ASSIGN_OR_RETURN(auto db, pg::Db::Connect(url));
  return std::unique_ptr<Store>(new PgStore(std::move(db)));
}

}  // namespace cx
