// Request dispatch: route matching, signing in, CSRF, the access table, Idempotency-Key.
#include "api/api.h"

#include "api/api_error.h"
#include "api/route.h"
#include "api/web_assets.h"
#include "base/sha256.h"
#include "store/open/open_store.h"

#include <chrono>
#include <mutex>

namespace cx::api {

namespace {

// Splits a path into its segments ("/api/v1/x" → api, v1, x).
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

// Whether a path of segments `xs` fits a pattern of segments `ps`, filling {name} parts. The
// patterns' segments are split once (RouteSegments), the path's once per request: splitting
// both again for every route tried was an allocation or two per route.
bool Match(const std::vector<std::string_view>& ps, const std::vector<std::string_view>& xs,
           bool trailing_slash, std::map<std::string, std::string>* params) {
  if (ps.size() != xs.size() || trailing_slash) return false;
  for (size_t i = 0; i < ps.size(); ++i) {
    const bool param = ps[i].size() > 2 && ps[i].front() == '{' && ps[i].back() == '}';
    if (!param && ps[i] != xs[i]) return false;
  }
  std::map<std::string, std::string> got;
  for (size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].size() > 2 && ps[i].front() == '{' && ps[i].back() == '}') {
      std::string v;
      if (!PercentDecode(xs[i], false, &v) || v.empty()) return false;
      got[std::string(ps[i].substr(1, ps[i].size() - 2))] = v;
    }
  }
  *params = std::move(got);
  return true;
}

// The segments of each route's pattern, in the order of Routes().
const std::vector<std::vector<std::string_view>>& RouteSegments() {
  static const std::vector<std::vector<std::string_view>> segments = [] {
    std::vector<std::vector<std::string_view>> out;
    for (const auto& r : Routes()) out.push_back(Segments(r.pattern));
    return out;
  }();
  return segments;
}

// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(const HttpRequest& req, std::string_view name) {
  const std::string* h = req.Header("cookie");
  if (!h) return "";
  std::string_view s = *h;
  while (!s.empty()) {
    size_t semi = s.find(';');
    std::string_view part = s.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return "";
}

// Compares without stopping at the first difference, so the time taken tells nothing about
// how much of a guessed token was right.
bool SameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool StateChanging(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string RequestHash(const HttpRequest& req) {
  Sha256 h;
  std::string head = req.method + " " + req.path + "\n";
  h.Update(head.data(), head.size());
  h.Update(req.body.data(), req.body.size());
  auto d = h.HexDigest();
  return d.ok() ? *d : std::string();
}

// The worker's store as handlers see it for reading (Call::Reading). The one place that
// decides how the API's reads run: every transaction a read handler's service opens is a
// snapshot read (Store::Read), which never waits for a writer or a running load; a service
// that keeps derived tables fresh as it reads (KPIs, duplicates) uses ReadFresh as it would
// anywhere else.
class ReadView : public Store {
 public:
  explicit ReadView(Store* inner) : inner_(inner) {}
  Status Migrate() override { return inner_->Migrate(); }
  Result<int> SchemaVersion() override { return inner_->SchemaVersion(); }
  Status Transaction(const std::function<Status(Tx&)>& fn) override { return inner_->Read(fn); }
  Status Read(const std::function<Status(Tx&)>& fn) override { return inner_->Read(fn); }
  Status ReadFresh(const std::function<Status(Tx&)>& fn) override { return inner_->ReadFresh(fn); }
  Status BulkTransaction(const HubLoad&, const std::function<Status(Tx&)>& fn) override {
    return inner_->Read(fn);
  }
  Status Backup(const std::string& path) override { return inner_->Backup(path); }
  Result<bool> IsCopyOfThisHub(const std::string& path) override {
    return inner_->IsCopyOfThisHub(path);
  }
  Result<int64_t> SizeBytes() override { return inner_->SizeBytes(); }

 private:
  Store* inner_;
};

// The worker's store for writing when the hub is one file (SQLite): such a hub has one write
// lock, and a writer that meets it held sleeps in SQLite's busy handler (1, 2, 5, 10 … ms
// between tries), so workers writing at once spend most of their time asleep while the lock
// is free. The workers of this server queue here instead, each woken as the one before it
// finishes. The queue is waited for at most kQueueWait: after that the store's own lock wait
// applies as without it (a load of another process holding the hub is reported as before).
// Reads never queue.
class QueuedWrites : public Store {
 public:
  QueuedWrites(Store* inner, std::timed_mutex* queue) : inner_(inner), queue_(queue) {}
  Status Migrate() override {
    return Queued([&] { return inner_->Migrate(); });
  }
  Result<int> SchemaVersion() override { return inner_->SchemaVersion(); }
  Status Transaction(const std::function<Status(Tx&)>& fn) override {
    return Queued([&] { return inner_->Transaction(fn); });
  }
  Status Read(const std::function<Status(Tx&)>& fn) override { return inner_->Read(fn); }
  Status ReadFresh(const std::function<Status(Tx&)>& fn) override {
    return Queued([&] { return inner_->ReadFresh(fn); });
  }
  Status BulkTransaction(const HubLoad& load, const std::function<Status(Tx&)>& fn) override {
    return Queued([&] { return inner_->BulkTransaction(load, fn); });
  }
  Status Backup(const std::string& path) override { return inner_->Backup(path); }
  Result<bool> IsCopyOfThisHub(const std::string& path) override {
    return inner_->IsCopyOfThisHub(path);
  }
  Result<int64_t> SizeBytes() override { return inner_->SizeBytes(); }

 private:
  static constexpr std::chrono::seconds kQueueWait{1};
  // Whether this thread holds the queue (a transaction begun inside another one fails in the
  // store as it would without the queue, instead of waiting for itself).
  static thread_local bool holding_;

  template <class F>
  Status Queued(F run) {
    if (holding_) return run();
    std::unique_lock<std::timed_mutex> turn(*queue_, std::defer_lock);
    (void)turn.try_lock_for(kQueueWait);
    holding_ = turn.owns_lock();
    Status st = run();
    holding_ = false;
    return st;
  }

  Store* inner_;
  std::timed_mutex* queue_;
};
thread_local bool QueuedWrites::holding_ = false;

}  // namespace

// The route table: one line per group of routes (one file each). Another area's routes are one
// more line here.
const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> out;
    AddMetaRoutes(&out);
    AddSessionRoutes(&out);
    AddRecordRoutes(&out);
    AddListRoutes(&out);
    AddJourneyRoutes(&out);
    AddStewardRoutes(&out);
    AddReportRoutes(&out);
    AddAdminRoutes(&out);
    AddUserRoutes(&out);
    AddSurveyRoutes(&out);
    AddTouchpointRoutes(&out);
    AddScreenRoutes(&out);
    AddStrategyRoutes(&out);
    // Routes of other areas register here, one line each.
    return out;
  }();
  return routes;
}

std::string SessionCookie(const HttpRequest& req) { return CookieValue(req, "cxhub_session"); }

Result<std::unique_ptr<Api>> Api::Open(const ApiOptions& opt) {
  std::unique_ptr<Api> api(new Api(opt));
  if (api->opt_.workers < 1) api->opt_.workers = 1;
  // A hub kept in one file has one writer at a time: the workers queue for it (QueuedWrites).
  const bool one_writer = !StoreFilePath(opt.db_url).empty();
  for (int i = 0; i < api->opt_.workers; ++i) {
    CX_ASSIGN_OR_RETURN(auto store, OpenStore(opt.db_url));
    if (i == 0) CX_RETURN_IF_ERROR(store->Migrate());
    Store* writes = store.get();
    if (one_writer) {
      api->write_views_.push_back(std::make_unique<QueuedWrites>(writes, &api->write_queue_));
      writes = api->write_views_.back().get();
    }
    api->read_views_.push_back(std::make_unique<ReadView>(writes));
    api->stores_.push_back(std::move(store));
  }
  return api;
}

HttpResponse Api::Handle(const HttpRequest& req, int worker) {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::string allowed;
  const auto& routes = Routes();
  const auto& patterns = RouteSegments();
  const auto path = Segments(req.path);
  const bool trailing_slash = req.path.size() > 1 && req.path.back() == '/';
  for (size_t i = 0; i < routes.size(); ++i) {
    const Route& r = routes[i];
    std::map<std::string, std::string> p;
    if (!Match(patterns[i], path, trailing_slash, &p)) continue;
    if (r.method != req.method) {
      allowed += (allowed.empty() ? "" : ", ") + r.method;
      continue;
    }
    route = &r;
    params = std::move(p);
    break;
  }
  if (!route && allowed.empty()) {
    if (auto page = ServePage(req)) return *page;  // the web page, outside /api/
  }
  if (!route) {
    if (allowed.empty()) return ErrorResponse(404, "not_found", "no such resource: " + req.path);
    HttpResponse r = ErrorResponse(
        405, "method_not_allowed",
        req.method + " is not allowed on " + req.path + " (allowed: " + allowed + ")");
    r.headers.emplace_back("Allow", allowed);
    return r;
  }

  Context ctx;
  const size_t w = size_t(worker) % stores_.size();
  ctx.store = write_views_.empty() ? stores_[w].get() : write_views_[w].get();
  Context read_ctx = ctx;
  read_ctx.store = read_views_[w].get();
  Call call(req, ctx, read_ctx);
  call.params = std::move(params);
  call.policy = &opt_.policy;
  call.secure_cookie = opt_.secure_cookie;
  call.client = req.remote;
  for (const auto& proxy : opt_.trusted_proxies) {
    if (proxy != req.remote) continue;
    if (const std::string* fwd = req.Header("x-forwarded-for")) {
      std::string last =
          fwd->substr(fwd->rfind(',') == std::string::npos ? 0 : fwd->rfind(',') + 1);
      while (!last.empty() && last.front() == ' ') last.erase(0, 1);
      while (!last.empty() && last.back() == ' ') last.pop_back();
      if (!last.empty()) call.client = last;
    }
    if (const std::string* proto = req.Header("x-forwarded-proto")) {
      if (*proto == "https") call.secure_cookie = true;
    }
  }

  // Query parameters: only those the route knows.
  if (!req.query.empty()) {
    std::vector<std::pair<std::string, std::string>> fields;
    if (!ParseUrlEncoded(req.query, &fields)) {
      return ErrorResponse(400, "invalid", "the query string has a broken %-escape");
    }
    for (auto& [k, v] : fields) {
      bool known = false;
      for (const auto& name : route->query_params) known = known || name == k;
      if (!known) {
        return ErrorResponse(400, "invalid", "unknown query parameter '" + k + "'",
                             {{k, "is not a parameter of " + route->pattern}});
      }
      call.query[k] = std::move(v);
    }
  }

  // Signing in: a bearer token (jobs) or the session cookie (people).
  if (route->op) {
    const std::string* authz = req.Header("authorization");
    std::optional<User> user;
    if (authz && authz->rfind("Bearer ", 0) == 0) {
      auto u = ResolveToken(call.Reading(), authz->substr(7));
      if (!u.ok()) return FromStatus(u.status());
      user = *u;
    } else {
      std::string cookie = SessionCookie(req);
      if (!cookie.empty()) {
        auto s = ResolveSession(call.ctx, cookie, opt_.policy);
        if (!s.ok()) return FromStatus(s.status());
        if (*s) {
          user = (*s)->user;
          call.by_cookie = true;
          const std::string* csrf = req.Header("x-csrf-token");
          if (StateChanging(req.method) && (!csrf || !SameSecret(*csrf, (*s)->csrf_token))) {
            HttpResponse r =
                ErrorResponse(403, "csrf",
                              "a change made with the session cookie needs the X-CSRF-Token header "
                              "(the csrf_token given at login)");
            r.user = user->login;
            return r;
          }
        }
      }
    }
    if (!user) {
      return ErrorResponse(401, "unauthenticated",
                           "sign in first (POST /api/v1/session) or send Authorization: Bearer");
    }
    call.user = user;
    call.ctx.actor = user->login;
    call.read_ctx.actor = user->login;
    // The role check of the rules table; a division-bound reach is checked again by the
    // handler against the records it touches.
    if (auto refused = Refused(call, *route->op)) {
      refused->user = user->login;
      return *refused;
    }
  }

  // Idempotency-Key: the first answer is kept and given again; the work is done once.
  const std::string* idem = route->idempotency_key ? req.Header("idempotency-key") : nullptr;
  const std::string who = call.user ? call.user->login : "-";
  if (idem) {
    if (idem->empty() || idem->size() > 200) {
      return ErrorResponse(400, "invalid", "Idempotency-Key must have 1 to 200 characters",
                           {{"Idempotency-Key", "must have 1 to 200 characters"}});
    }
    std::string hash = RequestHash(req);
    std::optional<IdempotentAnswer> first;
    Status st = call.ctx.store->Transaction([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(first, tx.ReserveIdempotencyKey(who, *idem, hash, call.ctx.now()));
      return Status::Ok();
    });
    if (!st.ok()) return FromStatus(st);
    if (first) {
      HttpResponse r;
      if (first->request_hash != hash) {
        r = ErrorResponse(422, "idempotency_key_reused",
                          "this Idempotency-Key was used for a different request");
      } else if (first->status == 0) {
        r = ErrorResponse(409, "in_progress",
                          "the first request with this Idempotency-Key is still running");
      } else {
        r.status = first->status;
        r.body = first->body;
        r.headers.emplace_back("Idempotent-Replayed", "true");
      }
      r.user = who;
      return r;
    }
  }

  HttpResponse resp = route->fn(call);
  resp.user = who;
  if (idem) {
    // A failure of the server itself is not an answer to keep: the key is freed for a retry.
    Status st = call.ctx.store->Transaction([&](Tx& tx) -> Status {
      if (resp.status >= 500) return tx.ForgetIdempotencyKey(who, *idem);
      return tx.SaveIdempotentAnswer(who, *idem, resp.status, resp.body);
    });
    if (!st.ok()) return FromStatus(st);
  }
  return resp;
}

}  // namespace cx::api
