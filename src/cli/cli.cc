// The command line's top level: global options, the command groups, exit codes.
#include "cli/cli.h"

#include <cstdio>
#include <cstdlib>

#include "cli/cli_common.h"
#include "store/store.h"

namespace cx {

Result<Context> CliEnv::Open() {
  CX_ASSIGN_OR_RETURN(store, OpenStore(db_url));
  CX_RETURN_IF_ERROR(store->Migrate());
  Context ctx;
  ctx.store = store.get();
  ctx.actor = as;
  if (!zone.empty()) {
    CX_ASSIGN_OR_RETURN(ctx.zone, Zone::Find(zone));
  }
  return ctx;
}

int Fail(const Status& st) {
  std::fprintf(stderr, "cxhub: %s\n", st.ToString().c_str());
  switch (st.code()) {
    case Code::kOk:
      return 0;
    case Code::kInvalid:
    case Code::kNotFound:
    case Code::kConflict:
    case Code::kForbidden:
      return 2;
    case Code::kInternal:
      return 1;
  }
  return 1;
}

void PrintJson(const nlohmann::json& j) {
  std::string s = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
}

int WithHub(CliEnv& env, const std::function<int(Context&)>& fn) {
  auto ctx = env.Open();
  if (!ctx.ok()) return Fail(ctx.status());
  return fn(*ctx);
}

Result<Timestamp> ParseTimeOption(const Context& ctx, const std::string& name,
                                  const std::string& text) {
  auto t = ParseTime(text, ctx.zone);
  if (!t.ok()) return Invalid(name + ": " + t.status().message());
  return t;
}

int RunCli(int argc, char** argv) {
  CliEnv env;
  const char* db = std::getenv("CXHUB_DB");
  env.db_url = db && *db ? db : "sqlite:cxhub.db";
  const char* user = std::getenv("CXHUB_USER");
  env.as = user && *user ? user : "cli";

  CLI::App app{
      "cxhub: the customer-experience hub (accounts, contacts, interactions, pipeline, SLAs, "
      "KPIs)"};
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.require_subcommand(1);
  app.add_option("--db", env.db_url,
                 "Database URL: sqlite:PATH (default sqlite:cxhub.db or $CXHUB_DB)");
  app.add_option("--as", env.as,
                 "Login of the person acting, for the audit log (default $CXHUB_USER or cli)");
  app.add_option("--zone", env.zone, "Time zone for input and output (default Africa/Lagos)");
  RegisterCoreCommands(app, env);
  RegisterDemoCommand(app, env);
  RegisterWorkbookCommands(app, env);
  RegisterErpCommands(app, env);
  RegisterJourneyCommands(app, env);
  RegisterKpiCommands(app, env);
  RegisterServeCommands(app, env);  // serve_cmd.cc: after core (adds to `user`)
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  if (!env.action) {
    std::fprintf(stderr, "cxhub: no command given; see cxhub --help\n");
    return 2;
  }
  try {
    return env.action();
  } catch (const std::exception& e) {
    return Fail(Internal(std::string("unexpected error: ") + e.what()));
  }
}

}  // namespace cx
