// Signing in: password logins with throttling, sessions kept in the database, bearer tokens
// for jobs, disabling users and resetting passwords. Knows nothing about HTTP.
#pragma once

#include <optional>
#include <string>

#include "service/context.h"

namespace cx {

// The knobs of signing in (docs/api.md states the defaults and why).
struct AccessPolicy {
  int64_t session_idle_seconds = 8 * 3600;  // a working day without a request ends a session
  int64_t failure_window_seconds = 15 * 60;
  int max_failures_per_login = 5;     // within the window; the sixth try is throttled
  int max_failures_per_address = 20;  // one address trying many logins
};

enum class LoginOutcome { kSignedIn, kRefused, kThrottled };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::kRefused;
  User user;                  // when signed in
  std::string session_token;  // the cookie's value (only its hash is stored)
  std::string csrf_token;
};

// Checks a login and password and opens a new session. An unknown login, a wrong password,
// a disabled user and a user without a password are all kRefused and take the same time
// (a dummy hash is verified). Too many recent failures for the login or the address give
// kThrottled without looking at the password. A failure is recorded for both; a success
// clears the login's failures. `previous_session`, when given, is ended (rotation).
// Errors: kInternal only.
Result<LoginResult> Login(const Context& ctx, const std::string& login, const std::string& password,
                          const std::string& address, const std::string& previous_session,
                          const AccessPolicy& policy);

// Who a session cookie belongs to.
struct SessionUser {
  User user;
  std::string csrf_token;
};
// The user of a live session, or nullopt (unknown, idle too long — then ended —, or the
// user disabled). Keeps the session alive. Errors: kInternal only.
Result<std::optional<SessionUser>> ResolveSession(const Context& ctx, const std::string& token,
                                                  const AccessPolicy& policy);
// Ends a session (logout). Ending an unknown session is not an error.
Status EndSession(const Context& ctx, const std::string& token);

// The user a bearer token belongs to, or nullopt (unknown token, disabled user).
Result<std::optional<User>> ResolveToken(const Context& ctx, const std::string& token);
// Creates a bearer token for `login` and returns it; only its hash is stored, so it is shown
// once. Admin only (or "cli"). Audited. Errors: kNotFound, kForbidden.
Result<std::string> CreateToken(const Context& ctx, const std::string& login);

// Sets a new password (8+ characters) and ends every session of the user. Admin only.
// Audited. Errors: kNotFound, kInvalid, kForbidden.
Status ResetPassword(const Context& ctx, const std::string& login, const std::string& password);
// Disables (or enables again) a user: a disabled user cannot sign in, their sessions end and
// their tokens stop working. Admin only. Audited. Errors: kNotFound, kForbidden.
Status SetDisabled(const Context& ctx, const std::string& login, bool disabled);
// Whether `login` is disabled. Errors: kInternal.
Result<bool> IsDisabled(const Context& ctx, const std::string& login);

// SHA-256 (hex) of a secret, as stored. Errors: kInternal (libcrypto out of memory).
Result<std::string> SecretHash(const std::string& secret);
// A fresh random secret of 32 bytes, URL-safe base64 (43 characters).
std::string NewSecret();

}  // namespace cx
