// libFuzzer target for the HTTP server's request handling: arbitrary bytes arrive on a
// connection and go through everything the server does with them, without a socket: Beast's
// parser with the server's limits (api::ReadRequest), then the API (api::Api::Handle): routing,
// signing in (bearer token, session cookie, CSRF), the rules table, Idempotency-Key, query
// decoding, JSON bodies, multipart uploads and the survey page's form, on a small demo hub.
// Several requests in one input are read one after another, as on a kept-alive connection.
//
// What must hold for every input: no crash or sanitizer report; no server error (5xx); every
// answer, written as the server writes it, reads back as exactly one HTTP response with the same
// status and body (a header value cannot split it); a JSON answer is JSON.
//
// The input may name the hub's secrets, which a fuzzer cannot guess, by placeholders replaced
// before reading: @A an admin's bearer token, @S a salesperson's, @C a manager's session cookie
// and @X its CSRF token, @V a survey link's token (docs/reliability.md, "Hostile requests").
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/server.h"
#include "service/access_service.h"
#include "service/account_service.h"
#include "service/demo_service.h"
#include "service/survey_service.h"
#include "service/touchpoint_service.h"
#include "service/user_service.h"
#include "store/open/open_store.h"

namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "http_request_fuzz: %s\n", what.c_str());
  std::abort();
}

template <class T>
T Must(cx::Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(*r);
}

// The hub every input is sent to: made once as a template, copied back every kResetEvery
// inputs so that what the inputs write (interactions, sessions, idempotency keys) stays small.
class Hub {
 public:
  static constexpr int kResetEvery = 2000;

  Hub() {
    char tmpl[] = "/tmp/cxhub-http-fuzz-XXXXXX";
    if (!::mkdtemp(tmpl)) Die("cannot make a temporary folder");
    dir_ = tmpl;
    Make(dir_ + "/template.db");
    Reset();
  }
  ~Hub() {
    api_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  cx::api::Api& api() { return *api_; }

  // Counts an input; every kResetEvery inputs the hub goes back to the template.
  void Count() {
    if (++runs_ % kResetEvery == 0) Reset();
  }
  // A different client address per input, so that the login and survey throttles (per
  // address) do not close those routes for the rest of the run.
  std::string Remote() const {
    return "10.1." + std::to_string(runs_ / 250 % 250) + "." + std::to_string(runs_ % 250 + 1);
  }

  std::string Substitute(std::string_view in) const {
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '@' && i + 1 < in.size()) {
        const std::string* s = nullptr;
        switch (in[i + 1]) {
          case 'A':
            s = &admin_token_;
            break;
          case 'S':
            s = &sales_token_;
            break;
          case 'C':
            s = &cookie_;
            break;
          case 'X':
            s = &csrf_;
            break;
          case 'V':
            s = &survey_;
            break;
          default:
            break;
        }
        if (s) {
          out += *s;
          ++i;
          continue;
        }
      }
      out += in[i];
    }
    return out;
  }

 private:
  void Make(const std::string& path) {
    auto store = Must(cx::OpenStore("sqlite:" + path), "open the template hub");
    if (auto st = store->Migrate(); !st.ok()) Die("migrate: " + st.ToString());
    cx::Context ctx;
    ctx.store = store.get();
    cx::DemoOptions demo;
    demo.accounts = 12;
    demo.interactions = 60;
    demo.seed = 5;
    demo.as_of = "2026-11-30";
    demo.quiet = true;
    Must(cx::GenerateDemo(ctx, demo), "demo");
    cx::User manager;
    manager.login = "fuzz.manager";
    manager.name = "Fuzz Manager";
    manager.role = "manager";
    Must(cx::AddUser(ctx, manager, "fuzz password 1"), "add the manager");
    admin_token_ = Must(cx::CreateToken(ctx, "admin"), "admin token");
    sales_token_ = Must(cx::CreateToken(ctx, "adaeze.m"), "sales token");
    auto login =
        Must(cx::Login(ctx, "fuzz.manager", "fuzz password 1", "127.0.0.1", "", {}), "log in");
    if (login.outcome != cx::LoginOutcome::kSignedIn) Die("the manager cannot log in");
    cookie_ = login.session_token;
    csrf_ = login.csrf_token;
    auto touchpoints = Must(cx::ListTouchpoints(ctx, ""), "touchpoints");
    cx::ContactFilter f;
    f.limit = 1;
    auto contacts = Must(cx::ListContacts(ctx, f), "contacts");
    if (touchpoints.empty() || contacts.empty()) Die("the demo hub has no touchpoint or contact");
    cx::SurveyLinkRequest link;
    link.touchpoint = touchpoints.front().id;
    link.contact = contacts.front().id;
    link.base_url = "http://127.0.0.1:8080";
    survey_ = Must(cx::CreateSurveyLink(ctx, link), "survey link").token;
  }

  void Reset() {
    api_.reset();  // closes its connections: the copy below replaces the whole file
    const std::string db = dir_ + "/hub.db";
    std::error_code ec;
    fs::remove(db + "-wal", ec);
    fs::remove(db + "-shm", ec);
    fs::copy_file(dir_ + "/template.db", db, fs::copy_options::overwrite_existing, ec);
    if (ec) Die("copy the template hub: " + ec.message());
    if (fs::exists(dir_ + "/template.db-wal")) {  // closing normally folds it into the file
      fs::copy_file(dir_ + "/template.db-wal", db + "-wal", fs::copy_options::overwrite_existing,
                    ec);
      if (ec) Die("copy the template hub's log: " + ec.message());
    }
    cx::api::ApiOptions opt;
    opt.db_url = "sqlite:" + db;
    opt.workers = 1;
    api_ = Must(cx::api::Api::Open(opt), "open the API");
  }

  std::string dir_;
  std::unique_ptr<cx::api::Api> api_;
  std::string admin_token_, sales_token_, cookie_, csrf_, survey_;
  long runs_ = 0;
};

// The answer as the server writes it must read back as itself, and say what it is.
void CheckAnswer(const cx::api::HttpResponse& r, bool keep_alive, const std::string& what) {
  if (r.status < 200 || r.status > 599) Die(what + ": status " + std::to_string(r.status));
  if (r.status >= 500) Die(what + ": server error " + std::to_string(r.status) + " " + r.body);
  if (r.status != 204 && r.content_type.rfind("application/json", 0) == 0 &&
      !nlohmann::json::accept(r.body))
    Die(what + ": the JSON answer is not JSON: " + r.body.substr(0, 200));
  const std::string bytes = cx::api::ResponseBytes(r, keep_alive);
  http::response_parser<http::string_body> back;
  back.eager(true);
  back.body_limit(bytes.size());
  boost::beast::error_code ec;
  size_t used = back.put(boost::asio::buffer(bytes), ec);
  if (ec || !back.is_done() || used != bytes.size())
    Die(what + ": the answer does not read back as one response: " + ec.message() + ", " +
        std::to_string(used) + " of " + std::to_string(bytes.size()) + " bytes");
  if (back.get().result_int() != unsigned(r.status) || back.get().body() != r.body)
    Die(what + ": the answer reads back with another status or body");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Hub* hub = new Hub();  // lives for the whole run (libFuzzer exits without unwinding)
  hub->Count();
  const std::string bytes =
      hub->Substitute(std::string_view(reinterpret_cast<const char*>(data), size));
  const cx::api::ServerOptions limits;  // the server's defaults: 16 KiB of headers, 1 MiB body
  const std::string remote = hub->Remote();
  std::string_view rest = bytes;
  for (int n = 0; n < 8; ++n) {
    cx::api::ReadOutcome in = cx::api::ReadRequest(rest, limits, remote);
    if (in.kind == cx::api::ReadOutcome::Kind::kClosed) break;
    if (in.kind == cx::api::ReadOutcome::Kind::kRefused) {
      CheckAnswer(in.refusal, false, "an unreadable request");
      break;
    }
    const std::string what = in.request.method + " " + in.request.target.substr(0, 200);
    cx::api::HttpResponse answer = hub->api().Handle(in.request, 0);
    CheckAnswer(answer, in.keep_alive, what);
    if (!in.keep_alive || in.consumed == 0) break;
    rest.remove_prefix(in.consumed);
  }
  return 0;
}
