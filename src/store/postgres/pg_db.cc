// libpq connection, results and COPY.
#include "store/postgres/pg_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cx::pg {
namespace {

// Shortest text for a double that reads back the same (to_chars), as SQLite keeps REALs.
std::string DoubleText(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

// ---- Params ----

Params& Params::Add(std::string_view v) {
  values_.emplace_back(std::string(v));
  return *this;
}
Params& Params::Add(int64_t v) {
  values_.emplace_back(std::to_string(v));
  return *this;
}
Params& Params::Add(double v) {
  values_.emplace_back(DoubleText(v));
  return *this;
}
Params& Params::Add(bool v) {
  values_.emplace_back(std::string(v ? "true" : "false"));
  return *this;
}
Params& Params::Add(const std::optional<int64_t>& v) { return v ? Add(*v) : Null(); }
Params& Params::Add(const std::optional<double>& v) { return v ? Add(*v) : Null(); }
Params& Params::Add(const std::optional<std::string>& v) {
  return v ? Add(std::string_view(*v)) : Null();
}
Params& Params::AddOrNull(std::string_view v) { return v.empty() ? Null() : Add(v); }
Params& Params::Null() {
  values_.emplace_back(std::nullopt);
  return *this;
}
std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> p;
  p.reserve(values_.size());
  for (const auto& v : values_) p.push_back(v ? v->c_str() : nullptr);
  return p;
}

// ---- Rows ----

Rows::Rows(pg_result* r) : r_(r) {}
Rows::Rows(Rows&& o) noexcept : r_(o.r_), row_(o.row_) { o.r_ = nullptr; }
Rows& Rows::operator=(Rows&& o) noexcept {
  if (this != &o) {
    if (r_) PQclear(r_);
    r_ = o.r_;
    row_ = o.row_;
    o.r_ = nullptr;
  }
  return *this;
}
Rows::~Rows() {
  if (r_) PQclear(r_);
}
int Rows::size() const { return r_ ? PQntuples(r_) : 0; }
bool Rows::Next() {
  if (row_ + 1 >= size()) {
    row_ = size();
    return false;
  }
  ++row_;
  return true;
}
int64_t Rows::affected() const {
  if (!r_) return 0;
  const char* n = PQcmdTuples(r_);
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}
bool Rows::IsNull(int col) const { return PQgetisnull(r_, row_, col) != 0; }
std::string Rows::Text(int col) const { return std::string(TextView(col)); }
std::string_view Rows::TextView(int col) const {
  if (IsNull(col)) return {};
  return std::string_view(PQgetvalue(r_, row_, col), size_t(PQgetlength(r_, row_, col)));
}
int64_t Rows::Int(int col) const {
  if (IsNull(col)) return 0;
  const char* v = PQgetvalue(r_, row_, col);
  if (v[0] == 't') return 1;  // boolean
  if (v[0] == 'f') return 0;
  return std::strtoll(v, nullptr, 10);
}
double Rows::Real(int col) const {
  if (IsNull(col)) return 0;
  return std::strtod(PQgetvalue(r_, row_, col), nullptr);
}
bool Rows::Bool(int col) const { return Int(col) != 0; }
std::optional<int64_t> Rows::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}
std::optional<double> Rows::OptReal(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Real(col);
}
std::string Rows::Bytes(int col) const {
  if (IsNull(col)) return {};
  size_t n = 0;
  unsigned char* b =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row_, col)), &n);
  if (!b) return {};
  std::string out(reinterpret_cast<const char*>(b), n);
  PQfreemem(b);
  return out;
}

// ---- CopyRows ----

void CopyRows::Sep() {
  if (!fresh_) data_ += '\t';
  fresh_ = false;
}
CopyRows& CopyRows::Text(std::string_view v) {
  Sep();
  // Runs of plain bytes go in whole; only the four bytes COPY's text format escapes stop them
  // (a byte at a time, this was a tenth of a first sync's client CPU).
  size_t from = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c != '\\' && c != '\t' && c != '\n' && c != '\r') continue;
    data_.append(v.data() + from, i - from);
    data_ += '\\';
    data_ += c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
    from = i + 1;
  }
  data_.append(v.data() + from, v.size() - from);
  return *this;
}
CopyRows& CopyRows::TextOrNull(std::string_view v) { return v.empty() ? Null() : Text(v); }
CopyRows& CopyRows::Int(int64_t v) {
  Sep();
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  data_.append(buf, size_t(end - buf));
  return *this;
}
CopyRows& CopyRows::Real(double v) {
  Sep();
  data_ += DoubleText(v);
  return *this;
}
CopyRows& CopyRows::Bool(bool v) {
  Sep();
  data_ += v ? 't' : 'f';
  return *this;
}
CopyRows& CopyRows::Opt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }
CopyRows& CopyRows::Opt(const std::optional<double>& v) { return v ? Real(*v) : Null(); }
CopyRows& CopyRows::Null() {
  Sep();
  data_ += "\\N";
  return *this;
}
void CopyRows::EndRow() {
  data_ += '\n';
  ++rows_;
  fresh_ = true;
}

// ---- Db ----

bool IsRetryable(const std::string& sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Db::~Db() {
  if (conn_) PQfinish(conn_);
}

Result<std::unique_ptr<Db>> Db::Connect(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (!c) return Internal("cannot connect to PostgreSQL: out of memory");
  std::string server;
  const char* host = PQhost(c);
  const char* port = PQport(c);
  const char* db = PQdb(c);
  server = std::string(host ? host : "?") + ":" + (port ? port : "?") + "/" + (db ? db : "?");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string why = PQerrorMessage(c);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(c);
    return Internal("cannot connect to the PostgreSQL hub " + server + ": " + why);
  }
  // Messages in English whatever the server's locale; no notices on stderr.
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  std::unique_ptr<Db> d(new Db(c, server));
  CX_RETURN_IF_ERROR(d->ExecScript("SET client_min_messages = warning"));
  return d;
}

Status Db::Fail(pg_result* r, std::string_view what) {
  std::string state;
  std::string msg;
  if (r) {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    state = s ? s : "";
    const char* m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    msg = m ? m : PQresultErrorMessage(r);
    const char* d = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
    if (d && *d) msg += std::string(" (") + d + ")";
    PQclear(r);
  } else {
    msg = PQerrorMessage(conn_);
  }
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  // In a failed transaction every later statement fails with "current transaction is aborted"
  // (25P02): the first failure is the one worth telling.
  if (state != "25P02") {
    last_sqlstate_ = state;
    last_error_ = msg;
  }
  if (IsRetryable(state)) retryable_ = true;
  if (PQstatus(conn_) == CONNECTION_BAD) {
    return Internal("lost the connection to the PostgreSQL hub " + server_ + ": " + msg);
  }
  if (state.rfind("23", 0) == 0) return Conflict(std::string(what) + ": " + msg);
  return Internal(std::string(what) + ": " + msg);
}

Status Db::Guard(std::string_view sql) {
  if (guard_ && !in_guard_) {
    in_guard_ = true;
    Status st = guard_();
    in_guard_ = false;
    CX_RETURN_IF_ERROR(st);
  }
  if (!watch_ || in_watch_ || in_guard_) return Status::Ok();
  in_watch_ = true;
  Status st = watch_(sql);
  in_watch_ = false;
  return st;
}

Result<Rows> Db::Query(const std::string& sql, const Params& params) {
  CX_RETURN_IF_ERROR(Guard(sql));
  std::vector<const char*> p = params.Pointers();
  PGresult* r =
      PQexecParams(conn_, sql.c_str(), int(p.size()), nullptr, p.data(), nullptr, nullptr, 0);
  ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) return Fail(r, "database");
  last_sqlstate_.clear();
  last_error_.clear();
  return Rows(r);
}

Result<int64_t> Db::Exec(const std::string& sql, const Params& params) {
  CX_ASSIGN_OR_RETURN(Rows r, Query(sql, params));
  return r.affected();
}

Status Db::ExecScript(const std::string& sql) {
  CX_RETURN_IF_ERROR(Guard(sql));
  PGresult* r = PQexec(conn_, sql.c_str());
  ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK && s != PGRES_EMPTY_QUERY)
    return Fail(r, "database");
  PQclear(r);
  last_sqlstate_.clear();
  last_error_.clear();
  return Status::Ok();
}

Status Db::ForEachBatch(const std::string& sql, const Params& params,
                        const std::function<Status(Rows&)>& fn, int batch) {
  const std::string name = "cx_cursor_" + std::to_string(++cursors_);
  CX_RETURN_IF_ERROR(Exec("DECLARE " + name + " NO SCROLL CURSOR FOR " + sql, params).status());
  const std::string fetch = "FETCH " + std::to_string(batch) + " FROM " + name;
  Status st;
  for (;;) {
    auto rows = Query(fetch);
    if (!rows.ok()) return rows.status();  // the transaction is aborted: no CLOSE
    const bool last = rows->size() < batch;
    if (rows->size() > 0) st = fn(*rows);
    if (!st.ok() || last) break;
  }
  if (PQtransactionStatus(conn_) == PQTRANS_INTRANS) {
    Status closed = Exec("CLOSE " + name).status();
    if (st.ok()) st = closed;
  }
  return st;
}

Status Db::Copy(const std::string& copy_sql, const CopyRows& rows) {
  CX_RETURN_IF_ERROR(Guard(copy_sql));
  PGresult* r = PQexec(conn_, copy_sql.c_str());
  if (!r || PQresultStatus(r) != PGRES_COPY_IN) return Fail(r, "database");
  PQclear(r);
  const std::string& d = rows.data();
  constexpr size_t kChunk = 1 << 20;
  bool sent = true;
  for (size_t at = 0; at < d.size() && sent; at += kChunk) {
    const size_t n = std::min(kChunk, d.size() - at);
    sent = PQputCopyData(conn_, d.data() + at, int(n)) == 1;
  }
  if (PQputCopyEnd(conn_, sent ? nullptr : "cxhub could not send the rows") != 1)
    return Fail(nullptr, "database");
  Status st;
  while ((r = PQgetResult(conn_)) != nullptr) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      if (st.ok())
        st = Fail(r, "database");
      else
        PQclear(r);
    } else {
      PQclear(r);
    }
  }
  if (st.ok()) {
    last_sqlstate_.clear();
    last_error_.clear();
  }
  return st;
}

bool Db::TransactionFailed() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

bool Db::InTransaction() const {
  PGTransactionStatusType t = PQtransactionStatus(conn_);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

}  // namespace cx::pg
