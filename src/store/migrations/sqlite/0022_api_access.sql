-- Signing in to the HTTP API (docs/api.md): browser sessions, bearer tokens for jobs, failed
-- logins (the throttle), idempotency keys, and users who may no longer sign in. All of it
-- lives in the database so that a restarted server, or a second one, knows it.

-- Only the SHA-256 of a session cookie or token is kept: a copy of the database signs no one in.
CREATE TABLE api_sessions (
  id_hash TEXT PRIMARY KEY,
  login TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX api_sessions_login ON api_sessions(login);

CREATE TABLE api_tokens (
  hash TEXT PRIMARY KEY,
  login TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- One row per failed login, keyed 'login:NAME' or 'addr:ADDRESS'.
CREATE TABLE api_login_failures (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX api_login_failures_key_at ON api_login_failures(key, at);

-- The first answer to a POST carrying an Idempotency-Key; status 0 while it runs.
CREATE TABLE api_idempotency (
  login TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (login, key)
);

-- A disabled user keeps their history but can no longer sign in or use a token.
CREATE TABLE api_disabled_users (
  login TEXT PRIMARY KEY,
  at INTEGER NOT NULL
);
