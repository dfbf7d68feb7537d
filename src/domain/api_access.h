// Signing in to the HTTP API: browser sessions and idempotent answers (docs/api.md).
#pragma once

#include <string>

#include "base/time.h"

namespace cx {

struct ApiSession {
  std::string id_hash;  // SHA-256 (hex) of the cookie's value
  std::string login, csrf_token;
  Timestamp created_at = 0, last_seen = 0;
};
// The first answer given to a request with an Idempotency-Key.
struct IdempotentAnswer {
  std::string request_hash;  // SHA-256 of method, path and body
  int status = 0;            // 0 while the first request runs
  std::string body;
};

}  // namespace cx
