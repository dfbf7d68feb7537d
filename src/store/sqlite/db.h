// A small RAII wrapper over the SQLite C API: a connection and prepared statements.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace cx::sqlite {

// A prepared statement. Bind parameters by 1-based index; Step() until it returns false.
class Db;

class Stmt {
 public:
  Stmt(Db* owner, sqlite3* db, sqlite3_stmt* s) : owner_(owner), db_(db), s_(s) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int i, std::string_view v);
  // Binds without a copy: `v` must stay valid until the statement is reset.
  Stmt& BindStatic(int i, std::string_view v);
  // Binds NULL for an empty string (nullable foreign keys).
  Stmt& BindOrNull(int i, std::string_view v);
  // Both: NULL for an empty string, else the text without a copy.
  Stmt& BindStaticOrNull(int i, std::string_view v);
  Stmt& BindBlob(int i, std::string_view bytes);
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, int64_t(v)); }
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, const std::optional<int64_t>& v);
  Stmt& Bind(int i, const std::optional<double>& v);
  // Advances: true when a row is ready, false when done. Errors are kept in status().
  bool Step();
  // Runs to completion; returns the first error.
  Status Run();
  const Status& status() const { return status_; }

  std::string Text(int col) const;
  // The column's text without a copy; valid until the next Step, Reset or column call.
  std::string_view TextView(int col) const;
  // The column's bytes as a blob, without a copy; valid as TextView.
  std::string_view BlobView(int col) const;
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Real(int col) const { return sqlite3_column_double(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::optional<int64_t> OptInt(int col) const;
  std::optional<double> OptReal(int col) const;

  // Clears bindings and rewinds for reuse.
  void Reset();
  // Rewinds for reuse and keeps the bindings (static ones then point at text that may be
  // gone): only for a statement whose every parameter is bound again before each run, as a
  // multi-row insert's are. Clearing its hundreds of parameters on every run took about 4% of
  // the writing thread of a first sync of a million customers.
  void Rewind();

 private:
  Db* owner_;
  sqlite3* db_;
  sqlite3_stmt* s_;
  Status status_;
};

// "INSERT … VALUES (?,?),(?,?)…" for `rows` rows of `cols` values: one statement for many
// rows costs far less than one per row. `head` is the statement up to VALUES, `tail`
// what follows the rows (ON CONFLICT …, RETURNING …).
std::string MultiRowSql(const std::string& head, int cols, int rows, const std::string& tail = "");

// Runs a multi-row insert to completion and rewinds it (Stmt::Rewind); the first error.
Status RunAndRewind(Stmt* s);

// Runs a statement to completion and resets it (Stmt::Reset); the first error.
Status RunAndReset(Stmt* s);

// The first column of every row of a bound statement, as text; the statement is then reset.
Result<std::vector<std::string>> Texts(Stmt* s);

// How long a write waits for another writer (a bulk load, say) before giving up, in
// milliseconds: $CXHUB_LOCK_WAIT seconds (a number >= 0, decimals allowed) when set and valid,
// else kDefaultLockWaitMs. docs/operations.md, "Working while a load runs".
constexpr int kDefaultLockWaitMs = 30000;
int LockWaitMs();
// The page cache of a connection, KiB.
constexpr int kCacheKiB = 64 * 1024;
// The page cache while an index is built (CREATE INDEX sorts runs of this size): a big cache
// makes SQLite's sorter slower (at 5 million orders, 64 MiB cost 40 % more than 16 MiB).
constexpr int kIndexBuildCacheKiB = 16 * 1024;

// The page size of a hub this process creates, bytes. A bulk load under WAL writes every page
// twice (into the log, then at the checkpoint): with 16 KiB pages the same bytes take a quarter
// of the writes and reads (docs/operations.md, "Bulk loads and the write-ahead log"). An
// existing hub keeps the page size it was created with (SQLite cannot change it under WAL).
constexpr int kNewHubPageSize = 16384;
// The write-ahead log's file is cut back to this size when it starts over after a checkpoint:
// a bulk load leaves it as big as everything the load wrote, and while another process (a
// server) keeps the hub open, the file is not removed at the end. Above the 16 MiB that the
// automatic checkpoint (every 1,000 pages) lets it reach between loads.
constexpr int64_t kWalSizeLimitBytes = 32 << 20;

// What one run of a statement cost (SQLite's own counters, trigger programs included).
struct StatementRun {
  std::string_view sql;    // the statement as prepared (parameters unexpanded)
  int64_t fullscan_steps;  // rows stepped through by full table or index scans
  int64_t vm_steps;        // virtual-machine instructions: the run's whole cost
};
// Sees every run of every statement on connections opened while it is set.
using StatementObserver = std::function<void(const StatementRun&)>;
// Installs (or, with nullptr, removes for later connections) the observer. A hook for the
// test that checks that no per-row probe of a bulk load scans a table
// (store/sqlite/probe_plan_test.cc): it costs a callback per statement, so production code
// never sets it. The observer is called on the thread that ran the statement and must outlive
// the connections; it must not use the connection.
void SetStatementObserver(const StatementObserver* observer);

// One connection. Statements are prepared once and cached by their SQL text.
class Db {
 public:
  ~Db();
  // Opens (creating) the file with WAL, foreign keys on and a busy timeout of LockWaitMs().
  // A hub this process cannot write (a read-only file, or a read-only folder in which the
  // write-ahead log cannot be created) is opened read-only: it answers reads, and every write
  // fails with a message saying why (read_only_why()).
  static Result<std::unique_ptr<Db>> Open(const std::string& path);
  // How long this connection's writes wait for another writer (LockWaitMs() at opening).
  int lock_wait_ms() const { return lock_wait_ms_; }
  // Why the hub was opened read-only ("" when it is writable).
  const std::string& read_only_why() const { return read_only_why_; }
  // While set, any statement that would write fails (a read transaction; see the store).
  // Checked by this wrapper (sqlite3_stmt_readonly) before a statement runs, not by SQLite's
  // PRAGMA query_only: setting that pragma expires every prepared statement of the connection,
  // so each read transaction re-prepared every statement it used (about a quarter of the
  // time of an API read).
  Status SetQueryOnly(bool on);
  bool query_only() const { return query_only_; }
  // The refusal of a write in a read transaction (a bug of the caller).
  Status QueryOnlyRefusal(std::string_view sql);

  // The Status for SQLite result `rc` on this connection, prefixed with `what` for the
  // errors that have no message of their own. A full disk, a read-only file or folder and a
  // busy hub each get a message naming the file and what to do. Remembers `rc`
  // (last_error()).
  Status Error(int rc, std::string_view what);
  // The result code of the last error Error() reported (SQLITE_OK when none yet).
  int last_error() const { return last_error_; }
  void SetLastError(int rc) { last_error_ = rc; }

  // A cached statement, reset and ready to bind. Errors: kInternal on bad SQL.
  Result<Stmt*> Prepare(const std::string& sql);
  // Executes one or more statements without results.
  Status Exec(const std::string& sql);
  int64_t Changes() const { return sqlite3_changes64(db_); }
  // Whether a row that changes match keys (accounts' and contacts' names, keys, accounts and
  // merges: the duplicate index's triggers mark each such record in dup_dirty, migrations
  // 0010/0069) was written on this connection since the last TakeKeysChanged, or
  // MarkKeysChanged was called (a bulk load that drops those triggers). SQLite's update hook
  // sees every row written to a table with a rowid, triggers' included (dup_dirty has one).
  bool TakeKeysChanged() {
    const bool was = keys_changed_;
    keys_changed_ = false;
    return was;
  }
  void MarkKeysChanged() { keys_changed_ = true; }
  // How many rows of accounts or contacts were updated or deleted on this connection so far
  // (the update hook's count, triggers' writes included). A write transaction's own cache of
  // match keys (SqliteTx::KeepMatchKeys) is emptied whenever it moved: the keys are those
  // tables' columns, and a row inserted is a record no cache held (it did not exist).
  uint64_t record_rewrites() const { return record_rewrites_; }
  void NoteRecordRewrite() { ++record_rewrites_; }
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::string read_only_why_;
  bool query_only_ = false;
  bool keys_changed_ = false;
  uint64_t record_rewrites_ = 0;
  int lock_wait_ms_ = kDefaultLockWaitMs;
  int last_error_ = SQLITE_OK;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
  std::unordered_map<std::string, sqlite3_stmt*> raw_;
};

// An error Status for the connection's last failure, prefixed with `what`.
Status DbError(sqlite3* db, std::string_view what);

}  // namespace cx::sqlite
