// The HTTP API of the hub (docs/interfaces.md): turns requests into service calls. Signs the
// caller in (session cookie or bearer token), checks CSRF and the access table, honours
// Idempotency-Key, then runs the route's handler.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/server.h"
#include "service/access_service.h"
#include "store/store.h"

namespace cx::api {

struct ApiOptions {
  std::string db_url;
  int workers = 4;  // one database connection each: the server's workers + write_workers
  AccessPolicy policy;
  bool secure_cookie = false;  // served behind TLS (--behind-tls): the cookie is Secure
  // Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: the
  // client's address is the last one X-Forwarded-For names (for throttling and the log), and
  // X-Forwarded-Proto: https makes the cookie Secure.
  std::vector<std::string> trusted_proxies;
};

class Api {
 public:
  // Opens one store per worker and applies pending migrations. Errors: those of OpenStore
  // and Migrate.
  static Result<std::unique_ptr<Api>> Open(const ApiOptions& opt);

  // Answers one request on worker `worker` (0 … workers-1). Thread-safe across workers.
  HttpResponse Handle(const HttpRequest& req, int worker);

 private:
  explicit Api(ApiOptions opt) : opt_(std::move(opt)) {}
  ApiOptions opt_;
  std::vector<std::unique_ptr<Store>> stores_;       // one per worker
  std::vector<std::unique_ptr<Store>> write_views_;  // the same, writes queued (api.cc)
  std::vector<std::unique_ptr<Store>> read_views_;   // the same, for reading (api.cc ReadView)
  std::timed_mutex write_queue_;                     // the workers' turn to write (api.cc)
};

}  // namespace cx::api
