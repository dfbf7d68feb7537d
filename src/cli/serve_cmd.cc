// `serve` (the HTTP API), `token create`, and the user commands of signing in:
// `user disable|enable|reset-password`.
#include <cstdio>
#include <iostream>

#include "api/api.h"
#include "cli/cli_common.h"
#include "service/access_service.h"

namespace cx {

namespace {

struct ServeOpts {
  std::string listen = "127.0.0.1:8080";
  int workers = 4, write_workers = 2;
  size_t max_body = 1024 * 1024;
  double idle_timeout = 30, header_timeout = 10, body_timeout = 30;
  int64_t session_idle_minutes = 8 * 60;
  bool secure_cookie = false;
  std::vector<std::string> trusted_proxies;
  std::string login;
  bool password_stdin = false;
};

std::chrono::milliseconds Ms(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

int ServeCmd(CliEnv& env, const ServeOpts& o) {
  // Opening once here applies the migrations and reports a bad database before listening.
  return WithHub(env, [&](Context&) {
    auto colon = o.listen.rfind(':');
    int port = -1;
    if (colon != std::string::npos) {
      try {
        port = std::stoi(o.listen.substr(colon + 1));
      } catch (...) {
        port = -1;
      }
    }
    if (colon == std::string::npos || port < 0 || port > 65535)
      return Fail(Invalid("--listen: '" + o.listen + "' is not HOST:PORT (e.g. 127.0.0.1:8080)"));
    api::ApiOptions ao;
    ao.db_url = env.db_url;
    ao.workers = o.workers + o.write_workers;  // one database connection per thread
    ao.secure_cookie = o.secure_cookie;
    ao.trusted_proxies = o.trusted_proxies;
    ao.policy.session_idle_seconds = o.session_idle_minutes * 60;
    auto a = api::Api::Open(ao);
    if (!a.ok()) return Fail(a.status());
    api::Api* hub = a->get();
    api::ServerOptions so;
    so.host = o.listen.substr(0, colon);
    if (so.host.size() > 2 && so.host.front() == '[')
      so.host = so.host.substr(1, so.host.size() - 2);
    so.port = static_cast<uint16_t>(port);
    so.workers = o.workers;
    so.write_workers = o.write_workers;
    so.max_body_bytes = o.max_body;
    so.idle_timeout = Ms(o.idle_timeout);
    so.header_timeout = Ms(o.header_timeout);
    so.body_timeout = Ms(o.body_timeout);
    auto srv = api::Server::Listen(
        so, [hub](const api::HttpRequest& req, int worker) { return hub->Handle(req, worker); });
    if (!srv.ok()) return Fail(srv.status());
    std::fprintf(stderr, "{\"event\":\"listening\",\"url\":\"http://%s:%u\"}\n", so.host.c_str(),
                 unsigned((*srv)->port()));
    std::fflush(stderr);
    (*srv)->Run(/*handle_signals=*/true);
    std::fprintf(stderr, "{\"event\":\"stopped\"}\n");
    return 0;
  });
}

int TokenCreateCmd(CliEnv& env, const ServeOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto t = CreateToken(ctx, o.login);
    if (!t.ok()) return Fail(t.status());
    Print("%s\n", t->c_str());
    std::fprintf(stderr, "cxhub: token for %s created; it is shown only this once\n",
                 o.login.c_str());
    return 0;
  });
}

int ResetPasswordCmd(CliEnv& env, const ServeOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    if (!o.password_stdin)
      return Fail(Invalid("reset-password reads the new password: give --password-stdin"));
    std::string password;
    std::getline(std::cin, password);
    CX_RETURN_IF_ERROR_CLI(ResetPassword(ctx, o.login, password));
    Print("password of %s set; their sessions are ended\n", o.login.c_str());
    return 0;
  });
}

int DisableCmd(CliEnv& env, const ServeOpts& o, bool disabled) {
  return WithHub(env, [&](Context& ctx) {
    CX_RETURN_IF_ERROR_CLI(SetDisabled(ctx, o.login, disabled));
    Print("user %s %s\n", o.login.c_str(), disabled ? "disabled" : "enabled");
    return 0;
  });
}

}  // namespace

void RegisterServeCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<ServeOpts>();
  auto* serve = app.add_subcommand("serve", "Serve the HTTP JSON API (docs/api.md)");
  serve->add_option("--listen", o->listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--workers", o->workers, "Threads answering reads, GET (default 4)")
      ->check(CLI::Range(1, 64));
  serve
      ->add_option("--write-workers", o->write_workers,
                   "Threads answering writes, POST, PATCH, DELETE (default 2)")
      ->check(CLI::Range(1, 64));
  serve->add_option("--max-body", o->max_body, "Largest request body in bytes (default 1 MiB)")
      ->check(CLI::Range(size_t(1024), size_t(1) << 30));
  serve->add_option("--idle-timeout", o->idle_timeout,
                    "Seconds a kept-alive connection may wait for its next request (default 30)");
  serve->add_option("--header-timeout", o->header_timeout,
                    "Seconds a request's headers may take to arrive (default 10)");
  serve->add_option("--body-timeout", o->body_timeout,
                    "Seconds a request's body may take to arrive (default 30)");
  serve
      ->add_option("--session-idle", o->session_idle_minutes,
                   "Minutes without a request that end a session (default 480)")
      ->check(CLI::Range(int64_t(1), int64_t(60 * 24 * 30)));
  serve->add_flag("--behind-tls,--secure-cookie", o->secure_cookie,
                  "Clients reach the server through TLS (a proxy ends it): the session cookie "
                  "is marked Secure");
  serve->add_option("--trusted-proxy", o->trusted_proxies,
                    "Address of a reverse proxy whose X-Forwarded-For (the client) and "
                    "X-Forwarded-Proto (https: Secure cookie) are believed; repeatable");
  serve->callback([&env, o] { env.action = [&env, o] { return ServeCmd(env, *o); }; });

  auto* token = app.add_subcommand("token", "Bearer tokens for jobs (admin)");
  token->require_subcommand(1);
  auto* tcreate = token->add_subcommand("create", "Create a token for a user; printed once");
  tcreate->add_option("login", o->login, "The user the token acts as")->required();
  tcreate->callback([&env, o] { env.action = [&env, o] { return TokenCreateCmd(env, *o); }; });

  // The user group is made by core_cmd.cc; signing in adds three commands to it.
  CLI::App* user = app.get_subcommand("user");
  auto* reset = user->add_subcommand("reset-password", "Set a new password; ends their sessions");
  reset->add_option("login", o->login, "Login name")->required();
  reset->add_flag("--password-stdin", o->password_stdin,
                  "Read the new password (8+ characters) from standard input");
  reset->callback([&env, o] { env.action = [&env, o] { return ResetPasswordCmd(env, *o); }; });
  auto* disable = user->add_subcommand("disable", "Stop a user signing in (sessions and tokens)");
  disable->add_option("login", o->login, "Login name")->required();
  disable->callback([&env, o] { env.action = [&env, o] { return DisableCmd(env, *o, true); }; });
  auto* enable = user->add_subcommand("enable", "Let a disabled user sign in again");
  enable->add_option("login", o->login, "Login name")->required();
  enable->callback([&env, o] { env.action = [&env, o] { return DisableCmd(env, *o, false); }; });
}

}  // namespace cx
