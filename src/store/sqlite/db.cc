// SQLite connection and statement wrapper.
#include "store/sqlite/db.h"

#include <atomic>
#include <memory>

namespace cx::sqlite {
namespace {

std::atomic<const StatementObserver*> g_observer{nullptr};

// SQLITE_TRACE_PROFILE fires once per finished run of a statement; its counters are read and
// reset, so each report is that run's alone.
int Profile(unsigned, void* ctx, void* p, void*) {
  auto* s = static_cast<sqlite3_stmt*>(p);
  const char* sql = sqlite3_sql(s);
  StatementRun run{sql ? std::string_view(sql) : std::string_view(),
                   sqlite3_stmt_status(s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1),
                   sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1)};
  (*static_cast<const StatementObserver*>(ctx))(run);
  return 0;
}

}  // namespace

void SetStatementObserver(const StatementObserver* observer) { g_observer = observer; }

Status DbError(sqlite3* db, std::string_view what) {
  return Internal(std::string(what) + ": " + sqlite3_errmsg(db));
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindStatic(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), int(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::BindOrNull(int i, std::string_view v) {
  if (v.empty()) {
    sqlite3_bind_null(s_, i);
  } else {
    Bind(i, v);
  }
  return *this;
}
Stmt& Stmt::BindStaticOrNull(int i, std::string_view v) {
  if (v.empty()) {
    sqlite3_bind_null(s_, i);
  } else {
    BindStatic(i, v);
  }
  return *this;
}
Stmt& Stmt::BindBlob(int i, std::string_view bytes) {
  sqlite3_bind_blob64(s_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, double v) {
  sqlite3_bind_double(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, const std::optional<int64_t>& v) {
  if (v) return Bind(i, *v);
  sqlite3_bind_null(s_, i);
  return *this;
}
Stmt& Stmt::Bind(int i, const std::optional<double>& v) {
  if (v) return Bind(i, *v);
  sqlite3_bind_null(s_, i);
  return *this;
}

bool Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE && status_.ok()) {
    status_ = Internal(std::string("database: ") + sqlite3_errmsg(db_));
    if (rc == SQLITE_CONSTRAINT)
      status_ = Conflict(std::string("database: ") + sqlite3_errmsg(db_));
  }
  return false;
}

Status Stmt::Run() {
  while (Step()) {
  }
  return status_;
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  if (!p) return "";
  return std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(s_, col)));
}

std::string_view Stmt::TextView(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(s_, col))};
}

std::string_view Stmt::BlobView(int col) const {
  const void* p = sqlite3_column_blob(s_, col);
  if (!p) return {};
  return {static_cast<const char*>(p), size_t(sqlite3_column_bytes(s_, col))};
}

std::optional<int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}
std::optional<double> Stmt::OptReal(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Real(col);
}

void Stmt::Reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
  status_ = Status::Ok();
}

void Stmt::Rewind() {
  sqlite3_reset(s_);
  status_ = Status::Ok();
}

Status RunAndReset(Stmt* s) {
  Status st = s->Run();
  s->Reset();
  return st;
}

Status RunAndRewind(Stmt* s) {
  Status st = s->Run();
  s->Rewind();
  return st;
}

Db::~Db() {
  cache_.clear();
  for (auto& [sql, s] : raw_) sqlite3_finalize(s);
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  sqlite3* h = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status st = Internal("cannot open database '" + path +
                         "': " + (h ? sqlite3_errmsg(h) : "out of memory"));
    sqlite3_close_v2(h);
    return st;
  }
  std::unique_ptr<Db> db(new Db(h, path));
  sqlite3_busy_timeout(h, kBusyTimeoutMs);
  sqlite3_extended_result_codes(h, 0);
  if (const StatementObserver* o = g_observer.load())
    sqlite3_trace_v2(h, SQLITE_TRACE_PROFILE, Profile, const_cast<StatementObserver*>(o));
  CX_RETURN_IF_ERROR(
      db->Exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
               "PRAGMA cache_size=-" +
               std::to_string(kCacheKiB) + "; PRAGMA temp_store=MEMORY;"));
  return db;
}

Result<std::vector<std::string>> Texts(Stmt* s) {
  std::vector<std::string> out;
  while (s->Step()) out.push_back(s->Text(0));
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

std::string MultiRowSql(const std::string& head, int cols, int rows, const std::string& tail) {
  std::string one = "(";
  for (int c = 0; c < cols; ++c) one += c ? ",?" : "?";
  one += ")";
  std::string sql = head + " VALUES ";
  sql.reserve(sql.size() + size_t(rows) * (one.size() + 1) + tail.size() + 1);
  for (int r = 0; r < rows; ++r) {
    if (r) sql += ',';
    sql += one;
  }
  if (!tail.empty()) sql += " " + tail;
  return sql;
}

Result<Stmt*> Db::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), int(sql.size()), &s, nullptr) != SQLITE_OK) {
    return DbError(db_, "preparing SQL");
  }
  raw_[sql] = s;
  auto stmt = std::make_unique<Stmt>(db_, s);
  Stmt* p = stmt.get();
  cache_[sql] = std::move(stmt);
  return p;
}

Status Db::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Internal("database: " + msg);
  }
  return Status::Ok();
}

}  // namespace cx::sqlite
