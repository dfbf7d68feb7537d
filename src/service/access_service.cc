// Signing in: argon2id passwords (libsodium), sessions and tokens stored as SHA-256 hashes,
// a throttle of failed logins kept in the database.
#include "service/access_service.h"

#include <sodium.h>

#include "base/sha256.h"
#include "service/audit.h"
#include "service/user_service.h"

namespace cx {

namespace {

// A hash that never matches, verified for an unknown login so that it costs what a known one
// costs (no timing difference tells whether a login exists).
const std::string& DummyHash() {
  static const std::string h = [] {
    auto r = HashPassword(NewSecret());
    return r.ok() ? *r : std::string();
  }();
  return h;
}

Result<User> ExistingUser(Tx& tx, const std::string& login) {
  CX_ASSIGN_OR_RETURN(auto u, tx.GetUser(login));
  if (!u) return NotFound("no user '" + login + "' (see: cxhub user list)");
  return *u;
}

}  // namespace

Result<std::string> SecretHash(const std::string& secret) {
  Sha256 h;
  h.Update(secret.data(), secret.size());
  return h.HexDigest();
}

std::string NewSecret() {
  if (sodium_init() < 0) std::abort();  // no randomness: nothing safe can be done
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

Result<LoginResult> Login(const Context& ctx, const std::string& login, const std::string& password,
                          const std::string& address, const std::string& previous_session,
                          const AccessPolicy& policy) {
  const std::string login_key = "login:" + login;
  const std::string addr_key = "addr:" + address;
  LoginResult out;
  std::optional<User> user;
  bool disabled = false, throttled = false;
  const Timestamp now = ctx.now();
  // The password is checked outside any transaction: argon2id takes tens of milliseconds and
  // must not hold the database's write lock.
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    const Timestamp since = now - policy.failure_window_seconds;
    CX_ASSIGN_OR_RETURN(int64_t by_login, tx.CountLoginFailures(login_key, since));
    CX_ASSIGN_OR_RETURN(int64_t by_addr, tx.CountLoginFailures(addr_key, since));
    throttled =
        by_login >= policy.max_failures_per_login || by_addr >= policy.max_failures_per_address;
    if (throttled) return Status::Ok();
    CX_ASSIGN_OR_RETURN(user, tx.GetUser(login));
    if (user) {
      CX_ASSIGN_OR_RETURN(disabled, tx.IsUserDisabled(login));
    }
    return Status::Ok();
  }));
  if (throttled) {
    out.outcome = LoginOutcome::kThrottled;
    return out;
  }
  const bool usable = user && !disabled && !user->password_hash.empty();
  const bool good = VerifyPassword(usable ? user->password_hash : DummyHash(), password) && usable;
  CX_ASSIGN_OR_RETURN(std::string previous_hash, previous_session.empty()
                                                     ? Result<std::string>(std::string())
                                                     : SecretHash(previous_session));
  if (good) {
    out.outcome = LoginOutcome::kSignedIn;
    out.user = *user;
    out.session_token = NewSecret();
    out.csrf_token = NewSecret();
  }
  CX_ASSIGN_OR_RETURN(std::string id_hash,
                      good ? SecretHash(out.session_token) : Result<std::string>(std::string()));
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    if (!good) {
      CX_RETURN_IF_ERROR(tx.AddLoginFailure(login_key, now));
      return tx.AddLoginFailure(addr_key, now);
    }
    if (!previous_hash.empty()) {
      CX_RETURN_IF_ERROR(tx.DeleteApiSession(previous_hash));
    }
    CX_RETURN_IF_ERROR(tx.ClearLoginFailures(login_key));
    return tx.InsertApiSession(ApiSession{id_hash, login, out.csrf_token, now, now});
  }));
  return out;
}

Result<std::optional<SessionUser>> ResolveSession(const Context& ctx, const std::string& token,
                                                  const AccessPolicy& policy) {
  CX_ASSIGN_OR_RETURN(std::string id_hash, SecretHash(token));
  std::optional<SessionUser> out;
  const Timestamp now = ctx.now();
  // What the session needs: nothing (it is live and was seen within the minute), a touch, or
  // to be ended. Every request of a signed-in person asks, so the answer is read first
  // without the write lock; the write transaction runs (and decides again on what it reads)
  // only when there is something to write, at most about once a minute per session.
  enum class Need { kNothing, kTouch, kEnd };
  auto decide = [&](Tx& tx, Need* need) -> Status {
    out.reset();
    *need = Need::kNothing;
    CX_ASSIGN_OR_RETURN(auto s, tx.GetApiSession(id_hash));
    if (!s) return Status::Ok();
    if (now - s->last_seen > policy.session_idle_seconds) {
      *need = Need::kEnd;
      return Status::Ok();
    }
    CX_ASSIGN_OR_RETURN(auto u, tx.GetUser(s->login));
    CX_ASSIGN_OR_RETURN(bool disabled, tx.IsUserDisabled(s->login));
    if (!u || disabled) {
      *need = Need::kEnd;
      return Status::Ok();
    }
    out = SessionUser{*u, s->csrf_token};
    // A write per request would cost more than it tells: a minute is precise enough.
    if (now - s->last_seen >= 60) *need = Need::kTouch;
    return Status::Ok();
  };
  Need need = Need::kNothing;
  CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) { return decide(tx, &need); }));
  if (need == Need::kNothing) return out;
  // The rare write is made when the hub can be written without waiting for a load (which holds
  // the write lock for its whole run); else a later request makes it. An ended session is
  // refused either way: `out` is already empty then.
  CX_RETURN_IF_ERROR(ctx.store->ReadFresh([&](Tx& tx) -> Status {
    if (!tx.Writable()) return Status::Ok();
    CX_RETURN_IF_ERROR(decide(tx, &need));
    if (need == Need::kEnd) return tx.DeleteApiSession(id_hash);
    if (need == Need::kTouch) return tx.TouchApiSession(id_hash, now);
    return Status::Ok();
  }));
  return out;
}

Status EndSession(const Context& ctx, const std::string& token) {
  CX_ASSIGN_OR_RETURN(std::string id_hash, SecretHash(token));
  return ctx.store->Transaction([&](Tx& tx) { return tx.DeleteApiSession(id_hash); });
}

Result<std::optional<User>> ResolveToken(const Context& ctx, const std::string& token) {
  CX_ASSIGN_OR_RETURN(std::string hash, SecretHash(token));
  std::optional<User> out;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.UserOfApiToken(hash));
    return Status::Ok();
  }));
  return out;
}

Result<std::string> CreateToken(const Context& ctx, const std::string& login) {
  std::string token = "cxh_" + NewSecret();
  CX_ASSIGN_OR_RETURN(std::string hash, SecretHash(token));
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kManageUsers));
    CX_RETURN_IF_ERROR(ExistingUser(tx, login).status());
    CX_RETURN_IF_ERROR(tx.InsertApiToken(hash, login, ctx.now()));
    // The audit names the token by the start of its hash, never the token.
    return AuditAction(tx, ctx, "token-create", "user", login, hash.substr(0, 12), "");
  }));
  return token;
}

Status ResetPassword(const Context& ctx, const std::string& login, const std::string& password) {
  if (password.size() < 8) return Invalid("password: must have at least 8 characters");
  CX_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kManageUsers));
    CX_ASSIGN_OR_RETURN(User u, ExistingUser(tx, login));
    const std::string before = u.password_hash.empty() ? "" : "(old)";
    u.password_hash = hash;
    CX_RETURN_IF_ERROR(tx.UpsertUser(u));
    CX_RETURN_IF_ERROR(tx.DeleteApiSessionsOf(login));
    return AuditChanges(tx, ctx, "update", "user", login, {{"password", before}},
                        {{"password", "(set)"}});
  });
}

Status SetDisabled(const Context& ctx, const std::string& login, bool disabled) {
  return ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kManageUsers));
    CX_RETURN_IF_ERROR(ExistingUser(tx, login).status());
    CX_ASSIGN_OR_RETURN(bool was, tx.IsUserDisabled(login));
    if (was == disabled) return Status::Ok();
    CX_RETURN_IF_ERROR(tx.SetUserDisabled(login, disabled, ctx.now()));
    if (disabled) CX_RETURN_IF_ERROR(tx.DeleteApiSessionsOf(login));
    return AuditChanges(tx, ctx, "update", "user", login, {{"disabled", was ? "yes" : "no"}},
                        {{"disabled", disabled ? "yes" : "no"}});
  });
}

Result<bool> IsDisabled(const Context& ctx, const std::string& login) {
  bool out = false;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.IsUserDisabled(login));
    return Status::Ok();
  }));
  return out;
}

}  // namespace cx
