// A small RAII wrapper over libpq: one connection, parameterised queries with text parameters,
// a result with typed column getters, chunked streaming of large results, and COPY … FROM
// STDIN for bulk loads. Every failure becomes a Status (docs/postgresql.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

struct pg_conn;
struct pg_result;

namespace cx::pg {

// The parameters of one query ($1, $2, …), sent as text (PostgreSQL casts each to the type
// its use needs). Add them in order.
class Params {
 public:
  Params() = default;
  Params& Add(std::string_view v);
  Params& Add(const char* v) { return Add(std::string_view(v)); }
  Params& Add(const std::string& v) { return Add(std::string_view(v)); }
  Params& Add(int64_t v);
  Params& Add(int v) { return Add(int64_t(v)); }
  Params& Add(double v);  // shortest text that reads back as the same double
  Params& Add(bool v);    // "true" / "false"
  Params& Add(const std::optional<int64_t>& v);
  Params& Add(const std::optional<double>& v);
  Params& Add(const std::optional<std::string>& v);
  // NULL for an empty string (nullable references), else the text.
  Params& AddOrNull(std::string_view v);
  Params& Null();

  size_t size() const { return values_.size(); }
  // For libpq: one pointer per parameter, nullptr for NULL. Valid until the next Add.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// The rows a query returned (all of them, in memory), read through a cursor: Next() moves to
// the first row, then the next; the getters read the current row. Column numbers are 0-based.
class Rows {
 public:
  Rows() = default;
  explicit Rows(pg_result* r);
  Rows(Rows&&) noexcept;
  Rows& operator=(Rows&&) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  ~Rows();

  int size() const;  // rows
  bool empty() const { return size() == 0; }
  // Moves to the next row: true when there is one.
  bool Next();
  // Moves to row `row` (0-based) directly.
  void Seek(int row) { row_ = row; }
  // Rows changed by an INSERT, UPDATE or DELETE (0 for a SELECT).
  int64_t affected() const;

  bool IsNull(int col) const;
  // "" for NULL.
  std::string Text(int col) const;
  std::string_view TextView(int col) const;
  // 0 for NULL; a boolean column reads 1 or 0.
  int64_t Int(int col) const;
  double Real(int col) const;
  bool Bool(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  std::optional<double> OptReal(int col) const;
  // The bytes of a bytea column (hex output decoded).
  std::string Bytes(int col) const;

 private:
  pg_result* r_ = nullptr;
  int row_ = -1;
};

// Text-format rows for Db::Copy (COPY … FROM STDIN): each value escaped as COPY's text format
// wants it. Add a row's values in the column order of the COPY statement, then EndRow().
class CopyRows {
 public:
  CopyRows& Text(std::string_view v);
  CopyRows& TextOrNull(std::string_view v);  // NULL for ""
  CopyRows& Int(int64_t v);
  CopyRows& Real(double v);
  CopyRows& Bool(bool v);
  CopyRows& Opt(const std::optional<int64_t>& v);
  CopyRows& Opt(const std::optional<double>& v);
  CopyRows& Null();
  void EndRow();
  size_t rows() const { return rows_; }
  const std::string& data() const { return data_; }
  void Clear() {
    data_.clear();
    rows_ = 0;
    fresh_ = true;
  }

 private:
  void Sep();
  std::string data_;
  size_t rows_ = 0;
  bool fresh_ = true;  // no value yet on this row
};

// SQLSTATE classes the store acts on.
bool IsRetryable(const std::string& sqlstate);  // serialization failure, deadlock

// One connection. Not thread-safe: one per thread (the store holds one).
class Db {
 public:
  ~Db();
  // Connects to the server a URL names ("postgresql://USER@HOST:PORT/DB?…", "postgres://…");
  // what it leaves out comes from the PG* environment variables, as for psql. Errors:
  // kInternal naming the server and libpq's reason.
  static Result<std::unique_ptr<Db>> Connect(const std::string& url);

  // Runs one statement with parameters and returns its rows. Errors: kConflict for an
  // integrity constraint (unique, foreign key, check, not null), kInternal otherwise (the
  // message names the server on a lost connection). last_sqlstate() tells which.
  Result<Rows> Query(const std::string& sql, const Params& params = Params());
  // Query for a statement whose rows are not wanted; returns the rows it changed.
  Result<int64_t> Exec(const std::string& sql, const Params& params = Params());
  // Runs several statements without parameters (a migration file, BEGIN …).
  Status ExecScript(const std::string& sql);
  // Runs a SELECT through a cursor, calling `fn` with each batch of up to `batch` rows
  // (call rows.Next() to walk them), so a huge result never sits in memory whole; `fn` may run
  // other queries on this connection. Must run inside a transaction. Stops at fn's first error.
  Status ForEachBatch(const std::string& sql, const Params& params,
                      const std::function<Status(Rows&)>& fn, int batch = 2000);
  // Sends `rows` with `copy_sql` ("COPY t (a, b) FROM STDIN"). Errors as Query.
  Status Copy(const std::string& copy_sql, const CopyRows& rows);

  // The SQLSTATE of the last failed statement ("" when the last one succeeded).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // Whether a statement failed with a serialization failure or a deadlock since the last
  // ClearRetryable(): the store then runs the transaction again.
  bool retryable() const { return retryable_; }
  void ClearRetryable() { retryable_ = false; }
  // Marks the transaction to be run again (as after a serialization failure); the store's
  // write transactions use it when a statement needs the hub's write lock to itself.
  void MarkRetryable() { retryable_ = true; }
  // A check run before every statement (`Query`, `Exec`, `ExecScript`, `ForEachBatch`, `Copy`):
  // its error is the statement's. The store's write transactions take the hub's write lock
  // through it, in the mode the statement needs (docs/postgresql.md, "Isolation"). Statements
  // the guard itself runs are not checked. nullptr: no check.
  void SetStatementGuard(std::function<Status()> guard) { guard_ = std::move(guard); }
  // A second check run before every statement, after the guard, given the statement's text:
  // a first load that took a table's keys off builds them again before any statement that
  // could read or need them (pg_tx_bulk_keys.cc). Statements the watch itself runs are not
  // watched. nullptr: no watch.
  void SetStatementWatch(std::function<Status(std::string_view sql)> watch) {
    watch_ = std::move(watch);
  }
  // Whether a ConcurrentOk scope is open: the statements run now may run beside other
  // writers' (docs/postgresql.md, "Isolation").
  bool concurrent_ok() const { return concurrent_ok_ > 0; }
  // The message of the last failed statement ("" when the last one succeeded).
  const std::string& last_error() const { return last_error_; }
  // Whether the connection is inside a transaction block (or a failed one).
  bool InTransaction() const;
  // Whether the transaction block has failed (a statement errored): it can only roll back.
  bool TransactionFailed() const;
  // "HOST:PORT/DB" (or the socket folder), for messages.
  const std::string& server() const { return server_; }
  pg_conn* handle() { return conn_; }

 private:
  Db(pg_conn* c, std::string server) : conn_(c), server_(std::move(server)) {}
  // The Status for a failed result (or a null one), remembering its SQLSTATE.
  Status Fail(pg_result* r, std::string_view what);
  // Runs the statement guard (when one is set and it is not the guard's own statement).
  Status Guard(std::string_view sql);
  friend class ConcurrentOk;
  pg_conn* conn_;
  std::string server_;
  std::string last_sqlstate_;
  std::string last_error_;
  bool retryable_ = false;
  int64_t cursors_ = 0;
  std::function<Status()> guard_;
  bool in_guard_ = false;
  std::function<Status(std::string_view)> watch_;
  bool in_watch_ = false;
  int concurrent_ok_ = 0;
};

// While it lives, the statements run on `db` are ones a write transaction may run beside other
// writers (docs/postgresql.md, "Isolation"): they only add rows under new keys, lock the rows
// they change, or read what no such statement changes. A store operation whose every
// statement is of that kind opens one for its length; every other statement of a write
// transaction needs the hub's write lock to itself. Scopes nest.
class ConcurrentOk {
 public:
  explicit ConcurrentOk(Db& db) : db_(db) { ++db_.concurrent_ok_; }
  ~ConcurrentOk() { --db_.concurrent_ok_; }
  ConcurrentOk(const ConcurrentOk&) = delete;
  ConcurrentOk& operator=(const ConcurrentOk&) = delete;

 private:
  Db& db_;
};

// Quotes an identifier ("name" with inner quotes doubled) for the few places that need one in
// SQL text (a database or cursor name); values always go as parameters.
std::string QuoteIdent(std::string_view name);

}  // namespace cx::pg
