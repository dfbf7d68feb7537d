// SQLite Tx: what signing in to the HTTP API keeps (0022_api_access.sql): sessions, tokens,
// failed logins, idempotency keys, disabled users.
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using sqlite::Stmt;

namespace {

Status RunReset(Stmt* s) {
  Status st = s->Run();
  s->Reset();
  return st;
}

}  // namespace

Status SqliteTx::InsertApiSession(const ApiSession& a) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("INSERT INTO api_sessions (id_hash, login, "
                                             "csrf_token, created_at, last_seen) "
                                             "VALUES (?1, ?2, ?3, ?4, ?5)"));
  s->Bind(1, a.id_hash).Bind(2, a.login).Bind(3, a.csrf_token).Bind(4, a.created_at);
  s->Bind(5, a.last_seen);
  return RunReset(s);
}

Result<std::optional<ApiSession>> SqliteTx::GetApiSession(const std::string& id_hash) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT id_hash, login, csrf_token, created_at, "
                                             "last_seen FROM api_sessions WHERE id_hash = ?1"));
  s->Bind(1, id_hash);
  std::optional<ApiSession> out;
  if (s->Step()) {
    out = ApiSession{s->Text(0), s->Text(1), s->Text(2), s->Int(3), s->Int(4)};
  }
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Status SqliteTx::TouchApiSession(const std::string& id_hash, Timestamp at) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("UPDATE api_sessions SET last_seen = ?2 WHERE id_hash = ?1"));
  s->Bind(1, id_hash).Bind(2, at);
  return RunReset(s);
}

Status SqliteTx::DeleteApiSession(const std::string& id_hash) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("DELETE FROM api_sessions WHERE id_hash = ?1"));
  s->Bind(1, id_hash);
  return RunReset(s);
}

Status SqliteTx::DeleteApiSessionsOf(const std::string& login) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("DELETE FROM api_sessions WHERE login = ?1"));
  s->Bind(1, login);
  return RunReset(s);
}

Status SqliteTx::InsertApiToken(const std::string& hash, const std::string& login, Timestamp at) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("INSERT INTO api_tokens (hash, login, created_at) VALUES (?1, ?2, ?3)"));
  s->Bind(1, hash).Bind(2, login).Bind(3, at);
  return RunReset(s);
}

Result<std::optional<std::string>> SqliteTx::ApiTokenLogin(const std::string& hash) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT login FROM api_tokens WHERE hash = ?1"));
  s->Bind(1, hash);
  std::optional<std::string> out;
  if (s->Step()) out = s->Text(0);
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Status SqliteTx::AddLoginFailure(const std::string& key, Timestamp at) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("INSERT INTO api_login_failures (key, at) VALUES (?1, ?2)"));
  s->Bind(1, key).Bind(2, at);
  return RunReset(s);
}

Result<int64_t> SqliteTx::CountLoginFailures(const std::string& key, Timestamp since) {
  CX_ASSIGN_OR_RETURN(Stmt * d,
                      db_->Prepare("DELETE FROM api_login_failures WHERE key = ?1 AND at < ?2"));
  d->Bind(1, key).Bind(2, since);
  CX_RETURN_IF_ERROR(RunReset(d));
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT count(*) FROM api_login_failures "
                                             "WHERE key = ?1 AND at >= ?2"));
  s->Bind(1, key).Bind(2, since);
  int64_t n = s->Step() ? s->Int(0) : 0;
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return n;
}

Status SqliteTx::ClearLoginFailures(const std::string& key) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("DELETE FROM api_login_failures WHERE key = ?1"));
  s->Bind(1, key);
  return RunReset(s);
}

Result<std::optional<IdempotentAnswer>> SqliteTx::ReserveIdempotencyKey(
    const std::string& login, const std::string& key, const std::string& request_hash,
    Timestamp at) {
  CX_ASSIGN_OR_RETURN(Stmt * q, db_->Prepare("SELECT request_hash, status, body FROM "
                                             "api_idempotency WHERE login = ?1 AND key = ?2"));
  q->Bind(1, login).Bind(2, key);
  std::optional<IdempotentAnswer> out;
  if (q->Step()) out = IdempotentAnswer{q->Text(0), int(q->Int(1)), q->Text(2)};
  Status st = q->status();
  q->Reset();
  if (!st.ok()) return st;
  if (out) return out;
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("INSERT INTO api_idempotency (login, key, "
                                             "request_hash, status, body, created_at) "
                                             "VALUES (?1, ?2, ?3, 0, '', ?4)"));
  s->Bind(1, login).Bind(2, key).Bind(3, request_hash).Bind(4, at);
  CX_RETURN_IF_ERROR(RunReset(s));
  return out;
}

Status SqliteTx::SaveIdempotentAnswer(const std::string& login, const std::string& key, int status,
                                      const std::string& body) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("UPDATE api_idempotency SET status = ?3, body = ?4 "
                                             "WHERE login = ?1 AND key = ?2"));
  s->Bind(1, login).Bind(2, key).Bind(3, status).Bind(4, body);
  return RunReset(s);
}

Status SqliteTx::ForgetIdempotencyKey(const std::string& login, const std::string& key) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("DELETE FROM api_idempotency WHERE login = ?1 AND key = ?2"));
  s->Bind(1, login).Bind(2, key);
  return RunReset(s);
}

Status SqliteTx::SetUserDisabled(const std::string& login, bool disabled, Timestamp at) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare(disabled ? "INSERT OR IGNORE INTO api_disabled_users (login, at) "
                                        "VALUES (?1, ?2)"
                                      : "DELETE FROM api_disabled_users WHERE login = ?1"));
  s->Bind(1, login);
  if (disabled) s->Bind(2, at);
  return RunReset(s);
}

Result<bool> SqliteTx::IsUserDisabled(const std::string& login) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT 1 FROM api_disabled_users WHERE login = ?1"));
  s->Bind(1, login);
  bool yes = s->Step();
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return yes;
}

}  // namespace cx
