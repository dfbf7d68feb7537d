// SQLite connection and statement wrapper.
#include "store/sqlite/db.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
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

// The folder holding the hub file `path` ("." for a bare name).
std::string FolderOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// Why this process cannot write the hub at `path` ("" when it can, or when there is no file
// yet). SQLite needs the file, and the folder for the -wal and -shm files it keeps beside it in
// WAL mode (unless both exist and are writable). access() also sees a read-only mount, which
// stops root too.
std::string ReadOnlyWhy(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) return "";
  if (::access(path.c_str(), W_OK) != 0)
    return "the file " + path + " is read-only (" + std::strerror(errno) + ")";
  const std::string dir = FolderOf(path);
  if (::access(dir.c_str(), W_OK) == 0) return "";
  const int dir_errno = errno;
  if (::access((path + "-wal").c_str(), W_OK) == 0 && ::access((path + "-shm").c_str(), W_OK) == 0)
    return "";
  return "its folder " + dir + " is read-only (" + std::strerror(dir_errno) +
         "), and SQLite writes its log " + path + "-wal there";
}

// An SQLite URI naming `path` ('%', '?' and '#' escaped).
std::string UriOf(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      uri += buf;
    } else {
      uri += c;
    }
  }
  return uri;
}

// Whether the file system holding `path` has (nearly) no room left: SQLite reports a full
// disk met while creating its -shm file or growing a file as an I/O error.
bool NoRoomFor(const std::string& path) {
  struct statvfs fs;
  if (::statvfs(FolderOf(path).c_str(), &fs) != 0) return false;
  return uint64_t(fs.f_bavail) * fs.f_frsize < (256u << 10);
}

// "30" or "0.5": a wait in milliseconds as seconds.
std::string FormatSeconds(int ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ms / 1000.0);
  return buf;
}

}  // namespace

int LockWaitMs() {
  const char* v = std::getenv("CXHUB_LOCK_WAIT");
  if (!v || !*v) return kDefaultLockWaitMs;
  char* end = nullptr;
  const double s = std::strtod(v, &end);
  if (end == v || *end != '\0' || !std::isfinite(s) || s < 0 || s > 86400)
    return kDefaultLockWaitMs;
  return int(s * 1000);
}

// The one message for a damaged database file, whoever meets it (docs/reliability.md,
// "Damage is noticed"): what is wrong and the two ways out.
static Status DamagedError(sqlite3* db, std::string_view what) {
  const char* file = sqlite3_db_filename(db, "main");
  return Internal(std::string(what) + ": the hub's database file " +
                  (file && *file ? std::string(file) : std::string("(in memory)")) +
                  " is damaged (" + sqlite3_errmsg(db) +
                  "); run `cxhub check` to see what is damaged, and restore the last good copy "
                  "made by `cxhub backup`");
}

static bool IsDamaged(int rc) { return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB; }

void SetStatementObserver(const StatementObserver* observer) { g_observer = observer; }

Status DbError(sqlite3* db, std::string_view what) {
  if (IsDamaged(sqlite3_errcode(db))) return DamagedError(db, what);
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
  if (owner_->query_only() && !sqlite3_stmt_readonly(s_)) {
    if (status_.ok()) status_ = owner_->QueryOnlyRefusal(sqlite3_sql(s_));
    return false;
  }
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE && status_.ok()) {
    status_ = owner_->Error(rc, "database");
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

namespace {
// The update hook (Db::TakeKeysChanged): a row inserted into dup_dirty marks a record whose
// match keys changed (or that was inserted or deleted). Its deletions (the duplicate index
// taking the marks) change no keys. The name index, whose postings the cache keeps too, is
// covered by the same mark: SQLite calls no update hook for its tables (WITHOUT ROWID), and it
// is only written with a record's name, which marks the record, or by a bulk load, which marks
// the change itself (sqlite_tx_bulk.cc).
// A row of accounts or contacts updated or deleted is counted too (Db::record_rewrites).
void KeysHook(void* db, int op, const char*, const char* table, sqlite3_int64) {
  if (op == SQLITE_INSERT && std::strcmp(table, "dup_dirty") == 0)
    static_cast<Db*>(db)->MarkKeysChanged();
  if (op != SQLITE_INSERT &&
      (std::strcmp(table, "accounts") == 0 || std::strcmp(table, "contacts") == 0))
    static_cast<Db*>(db)->NoteRecordRewrite();
}
}  // namespace

Db::~Db() {
  cache_.clear();
  for (auto& [sql, s] : raw_) sqlite3_finalize(s);
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  // SQLite's count of the memory it uses (read by no one here) takes a process-wide mutex on
  // every allocation: the threads of a server, each on its own connection, queued on it. It can
  // only be turned off before SQLite's first use (later it is refused, harmlessly).
  static const bool no_memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)no_memstatus;
  sqlite3* h = nullptr;
  const std::string read_only = ReadOnlyWhy(path);
  // No file yet, or an empty one: this connection creates the hub, and chooses its page size.
  struct stat main_file;
  const bool new_hub =
      read_only.empty() && (::stat(path.c_str(), &main_file) != 0 || main_file.st_size == 0);
  int rc;
  if (read_only.empty()) {
    rc = sqlite3_open_v2(path.c_str(), &h,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  } else {
    // Without a log to replay, nor a rollback journal to undo (a load killed under one), and
    // with no way for anyone to write one, the file is all there is: "immutable" lets SQLite
    // read it without the -shm file it could not create.
    struct stat wal, journal;
    const bool no_log =
        (::stat((path + "-wal").c_str(), &wal) != 0 || wal.st_size == 0) &&
        (::stat((path + "-journal").c_str(), &journal) != 0 || journal.st_size == 0);
    const std::string uri = UriOf(path) + (no_log ? "?immutable=1" : "?mode=ro");
    rc = sqlite3_open_v2(uri.c_str(), &h,
                         SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  }
  if (rc != SQLITE_OK) {
    Status st =
        Internal("cannot open the hub " + path + ": " + (h ? sqlite3_errmsg(h) : "out of memory") +
                 (read_only.empty() ? "" : " (" + read_only + ")"));
    sqlite3_close_v2(h);
    return st;
  }
  std::unique_ptr<Db> db(new Db(h, path));
  db->read_only_why_ = read_only;
  sqlite3_update_hook(h, KeysHook, db.get());
  db->lock_wait_ms_ = LockWaitMs();
  sqlite3_busy_timeout(h, db->lock_wait_ms_);
  sqlite3_extended_result_codes(h, 0);
  if (const StatementObserver* o = g_observer.load())
    sqlite3_trace_v2(h, SQLITE_TRACE_PROFILE, Profile, const_cast<StatementObserver*>(o));
  std::string pragmas;
  if (read_only.empty()) {
    // The page size is fixed when the first page is written, so it is set before WAL mode is.
    if (new_hub)
      CX_RETURN_IF_ERROR(db->Exec("PRAGMA page_size=" + std::to_string(kNewHubPageSize)));
    // A hub keeps WAL mode in its file. One found under a rollback journal (a first load into
    // an empty hub runs under one: docs/operations.md, "Bulk loads and the write-ahead log", or
    // it was killed there) is put back: that needs the write lock, which SQLite asks for
    // without waiting once it has read the file's header (waiting there could deadlock two
    // writers), so the wait, up to the lock wait, is here. Until the load ends nothing of it
    // can be read anyway; a hot journal left by a killed load is rolled back first.
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(db->lock_wait_ms_);
    int wal;
    while ((wal = sqlite3_exec(h, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr)) ==
               SQLITE_BUSY &&
           std::chrono::steady_clock::now() < until)
      sqlite3_sleep(10);
    if (wal != SQLITE_OK) return db->Error(wal, "database");
    pragmas += "PRAGMA journal_size_limit=" + std::to_string(kWalSizeLimitBytes) + "; ";
  }
  CX_RETURN_IF_ERROR(
      db->Exec(pragmas + "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-" +
               std::to_string(kCacheKiB) + "; PRAGMA temp_store=MEMORY;"));
  return db;
}

Status Db::SetQueryOnly(bool on) {
  query_only_ = on;
  return Status::Ok();
}

Status Db::QueryOnlyRefusal(std::string_view sql) {
  last_error_ = SQLITE_READONLY;
  return Internal("database: a read-only transaction tried to write (a bug): " +
                  std::string(sql.substr(0, 200)));
}

Status Db::Error(int rc, std::string_view what) {
  last_error_ = rc;
  const std::string msg = sqlite3_errmsg(db_);
  if ((rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN) && NoRoomFor(path_)) rc = SQLITE_FULL;
  if (IsDamaged(rc)) return DamagedError(db_, what);
  switch (rc) {
    case SQLITE_FULL:
      return Internal("the disk holding the hub " + path_ +
                      " is full: nothing of this command was written. Free some space on it "
                      "(the hub needs room beside it for its log " +
                      path_ + "-wal) and run the command again");
    case SQLITE_READONLY:
      if (query_only_)
        return Internal(std::string(what) +
                        ": a read-only transaction tried to write (a bug): " + msg);
      return Internal("the hub " + path_ +
                      " cannot be written: " + (read_only_why_.empty() ? msg : read_only_why_) +
                      ". Nothing was written; commands that only read still work. To change the "
                      "hub, make the file and its folder writable for this user");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Internal("the hub " + path_ + " is busy: another command kept it locked for " +
                      FormatSeconds(lock_wait_ms_) +
                      " s; nothing was written. Run the command again when that one has finished "
                      "(or wait longer: CXHUB_LOCK_WAIT=SECONDS)");
    case SQLITE_CANTOPEN:
      return Internal("cannot open the hub " + path_ + " (or its " + path_ + "-wal and " + path_ +
                      "-shm beside it): " + msg + "; check that the folder " + FolderOf(path_) +
                      " exists and can be written");
    case SQLITE_IOERR:
      return Internal("input/output error on the hub " + path_ + " (" + msg +
                      "): nothing of this command was written; check the disk");
    default:
      return Internal(std::string(what) + ": " + msg);
  }
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
  if (int rc = sqlite3_prepare_v2(db_, sql.c_str(), int(sql.size()), &s, nullptr);
      rc != SQLITE_OK) {
    return Error(rc, "preparing SQL");
  }
  raw_[sql] = s;
  auto stmt = std::make_unique<Stmt>(this, db_, s);
  Stmt* p = stmt.get();
  cache_[sql] = std::move(stmt);
  return p;
}

Status Db::Exec(const std::string& sql) {
  if (query_only_) {
    // Statement by statement, each checked as Stmt::Step checks it.
    const char* at = sql.c_str();
    while (*at) {
      sqlite3_stmt* s = nullptr;
      const char* tail = nullptr;
      if (int rc = sqlite3_prepare_v2(db_, at, -1, &s, &tail); rc != SQLITE_OK)
        return Error(rc, "database");
      if (!s) break;  // only blanks or comments left
      Status st;
      if (!sqlite3_stmt_readonly(s)) {
        st = QueryOnlyRefusal(sqlite3_sql(s));
      } else {
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) st = Error(rc, "database");
      }
      sqlite3_finalize(s);
      CX_RETURN_IF_ERROR(st);
      at = tail;
    }
    return Status::Ok();
  }
  if (int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK)
    return Error(rc, "database");
  return Status::Ok();
}

}  // namespace cx::sqlite
