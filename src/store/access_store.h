// Signing in to the HTTP API.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/api_access.h"

namespace cx {

// Signing in to the HTTP API: sessions, tokens, failed logins, idempotent answers, disabled
// users (docs/api.md).
class AccessStore {
 public:
  virtual ~AccessStore() = default;

  // Sessions and tokens are found by the SHA-256 of their secret, never by the secret.
  virtual Status InsertApiSession(const ApiSession& s) = 0;
  virtual Result<std::optional<ApiSession>> GetApiSession(const std::string& id_hash) = 0;
  virtual Status TouchApiSession(const std::string& id_hash, Timestamp at) = 0;
  virtual Status DeleteApiSession(const std::string& id_hash) = 0;
  // Ends every session of `login` (password change, disabling).
  virtual Status DeleteApiSessionsOf(const std::string& login) = 0;
  virtual Status InsertApiToken(const std::string& hash, const std::string& login,
                                Timestamp at) = 0;
  // The login a token belongs to, or nullopt.
  virtual Result<std::optional<std::string>> ApiTokenLogin(const std::string& hash) = 0;
  virtual Status AddLoginFailure(const std::string& key, Timestamp at) = 0;
  // Failures of `key` at or after `since`; forgets those before it.
  virtual Result<int64_t> CountLoginFailures(const std::string& key, Timestamp since) = 0;
  virtual Status ClearLoginFailures(const std::string& key) = 0;
  // Reserves (login, key) for a request with status 0. Returns the stored answer instead
  // when the pair is already there (status 0: the first request is still running).
  virtual Result<std::optional<IdempotentAnswer>> ReserveIdempotencyKey(
      const std::string& login, const std::string& key, const std::string& request_hash,
      Timestamp at) = 0;
  virtual Status SaveIdempotentAnswer(const std::string& login, const std::string& key, int status,
                                      const std::string& body) = 0;
  virtual Status ForgetIdempotencyKey(const std::string& login, const std::string& key) = 0;
  virtual Status SetUserDisabled(const std::string& login, bool disabled, Timestamp at) = 0;
  virtual Result<bool> IsUserDisabled(const std::string& login) = 0;
};

}  // namespace cx
