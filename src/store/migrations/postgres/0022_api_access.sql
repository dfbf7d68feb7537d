-- 0022 (PostgreSQL): signing in to the HTTP API — browser sessions, bearer tokens for jobs,
-- failed logins (the throttle), idempotency keys, and users who may no longer sign in. All of it
-- lives in the database, so that every `cxhub serve` process on one hub knows it
-- (docs/postgresql.md, "Several servers").

-- Only the SHA-256 of a session cookie or token is kept: a copy of the database signs no one in.
CREATE TABLE api_sessions (
  id_hash text COLLATE "C" PRIMARY KEY,
  login text COLLATE "C" NOT NULL,
  csrf_token text COLLATE "C" NOT NULL,
  created_at bigint NOT NULL,
  last_seen bigint NOT NULL
);
CREATE INDEX api_sessions_login ON api_sessions(login);

CREATE TABLE api_tokens (
  hash text COLLATE "C" PRIMARY KEY,
  login text COLLATE "C" NOT NULL,
  created_at bigint NOT NULL
);

-- One row per failed login, keyed 'login:NAME' or 'addr:ADDRESS'.
CREATE TABLE api_login_failures (
  key text COLLATE "C" NOT NULL,
  at bigint NOT NULL
);
CREATE INDEX api_login_failures_key_at ON api_login_failures(key, at);

-- The first answer to a POST carrying an Idempotency-Key; status 0 while it runs.
CREATE TABLE api_idempotency (
  login text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  request_hash text COLLATE "C" NOT NULL,
  status integer NOT NULL,
  body text COLLATE "C" NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (login, key)
);

-- A disabled user keeps their history but can no longer sign in or use a token.
CREATE TABLE api_disabled_users (
  login text COLLATE "C" PRIMARY KEY,
  at bigint NOT NULL
);
