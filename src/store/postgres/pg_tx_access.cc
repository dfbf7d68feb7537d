// PostgreSQL Tx: what signing in to the HTTP API keeps (0022_api_access.sql): sessions, tokens,
// failed logins, idempotency keys, disabled users. All of it is in the database, so that every
// server on one hub knows it. What every request of a signed-in user may write (a session, a
// failed login, an idempotency key) is keyed by its own row, so it runs beside other writers
// (pg::ConcurrentOk, docs/postgresql.md "Isolation"); tokens and disabling users take the hub
// to themselves like any other administration.
#include "store/postgres/pg_tx.h"

namespace cx {

Status PgTx::InsertApiSession(const ApiSession& a) {
  pg::ConcurrentOk beside(*db_);
  return db_
      ->Exec(
          "INSERT INTO api_sessions (id_hash, login, csrf_token, created_at, last_seen) "
          "VALUES ($1, $2, $3, $4, $5)",
          pg::Params()
              .Add(a.id_hash)
              .Add(a.login)
              .Add(a.csrf_token)
              .Add(a.created_at)
              .Add(a.last_seen))
      .status();
}

Result<std::optional<ApiSession>> PgTx::GetApiSession(const std::string& id_hash) {
  pg::ConcurrentOk beside(*db_);
  CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query("SELECT id_hash, login, csrf_token, created_at, "
                                             "last_seen FROM api_sessions WHERE id_hash = $1",
                                             pg::Params().Add(id_hash)));
  if (!r.Next()) return std::optional<ApiSession>();
  return std::optional<ApiSession>(ApiSession{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4)});
}

Status PgTx::TouchApiSession(const std::string& id_hash, Timestamp at) {
  pg::ConcurrentOk beside(*db_);
  return db_
      ->Exec("UPDATE api_sessions SET last_seen = $2 WHERE id_hash = $1",
             pg::Params().Add(id_hash).Add(at))
      .status();
}

Status PgTx::DeleteApiSession(const std::string& id_hash) {
  pg::ConcurrentOk beside(*db_);
  return db_->Exec("DELETE FROM api_sessions WHERE id_hash = $1", pg::Params().Add(id_hash))
      .status();
}

Status PgTx::DeleteApiSessionsOf(const std::string& login) {
  return db_->Exec("DELETE FROM api_sessions WHERE login = $1", pg::Params().Add(login)).status();
}

Status PgTx::InsertApiToken(const std::string& hash, const std::string& login, Timestamp at) {
  return db_
      ->Exec("INSERT INTO api_tokens (hash, login, created_at) VALUES ($1, $2, $3)",
             pg::Params().Add(hash).Add(login).Add(at))
      .status();
}

Result<std::optional<std::string>> PgTx::ApiTokenLogin(const std::string& hash) {
  pg::ConcurrentOk beside(*db_);
  CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query("SELECT login FROM api_tokens WHERE hash = $1",
                                             pg::Params().Add(hash)));
  if (!r.Next()) return std::optional<std::string>();
  return std::optional<std::string>(r.Text(0));
}

Status PgTx::AddLoginFailure(const std::string& key, Timestamp at) {
  pg::ConcurrentOk beside(*db_);
  return db_
      ->Exec("INSERT INTO api_login_failures (key, at) VALUES ($1, $2)",
             pg::Params().Add(key).Add(at))
      .status();
}

Result<int64_t> PgTx::CountLoginFailures(const std::string& key, Timestamp since) {
  pg::ConcurrentOk beside(*db_);
  if (writable_) {
    CX_RETURN_IF_ERROR(db_->Exec("DELETE FROM api_login_failures WHERE key = $1 AND at < $2",
                                 pg::Params().Add(key).Add(since))
                           .status());
  }
  CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query("SELECT count(*) FROM api_login_failures "
                                             "WHERE key = $1 AND at >= $2",
                                             pg::Params().Add(key).Add(since)));
  return r.Next() ? r.Int(0) : 0;
}

Status PgTx::ClearLoginFailures(const std::string& key) {
  pg::ConcurrentOk beside(*db_);
  return db_->Exec("DELETE FROM api_login_failures WHERE key = $1", pg::Params().Add(key)).status();
}

Result<std::optional<IdempotentAnswer>> PgTx::ReserveIdempotencyKey(const std::string& login,
                                                                    const std::string& key,
                                                                    const std::string& request_hash,
                                                                    Timestamp at) {
  pg::ConcurrentOk beside(*db_);
  // One statement reserves the pair or finds it taken: two servers given the same key at once
  // both try to insert; the second waits on the first's row until that commits and then finds
  // it (READ COMMITTED: the SELECT after sees the committed row).
  CX_ASSIGN_OR_RETURN(
      int64_t n,
      db_->Exec("INSERT INTO api_idempotency (login, key, request_hash, status, body, "
                "created_at) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (login, key) DO NOTHING",
                pg::Params().Add(login).Add(key).Add(request_hash).Add(at)));
  if (n == 1) return std::optional<IdempotentAnswer>();
  CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query("SELECT request_hash, status, body FROM "
                                             "api_idempotency WHERE login = $1 AND key = $2",
                                             pg::Params().Add(login).Add(key)));
  if (!r.Next()) return Internal("idempotency key " + key + " vanished while it was reserved");
  return std::optional<IdempotentAnswer>(IdempotentAnswer{r.Text(0), int(r.Int(1)), r.Text(2)});
}

Status PgTx::SaveIdempotentAnswer(const std::string& login, const std::string& key, int status,
                                  const std::string& body) {
  pg::ConcurrentOk beside(*db_);
  return db_
      ->Exec("UPDATE api_idempotency SET status = $3, body = $4 WHERE login = $1 AND key = $2",
             pg::Params().Add(login).Add(key).Add(status).Add(body))
      .status();
}

Status PgTx::ForgetIdempotencyKey(const std::string& login, const std::string& key) {
  pg::ConcurrentOk beside(*db_);
  return db_
      ->Exec("DELETE FROM api_idempotency WHERE login = $1 AND key = $2",
             pg::Params().Add(login).Add(key))
      .status();
}

Status PgTx::SetUserDisabled(const std::string& login, bool disabled, Timestamp at) {
  if (!disabled) {
    return db_->Exec("DELETE FROM api_disabled_users WHERE login = $1", pg::Params().Add(login))
        .status();
  }
  return db_
      ->Exec("INSERT INTO api_disabled_users (login, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
             pg::Params().Add(login).Add(at))
      .status();
}

Result<bool> PgTx::IsUserDisabled(const std::string& login) {
  pg::ConcurrentOk beside(*db_);
  CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query("SELECT 1 FROM api_disabled_users WHERE login = $1",
                                             pg::Params().Add(login)));
  return !r.empty();
}

}  // namespace cx
