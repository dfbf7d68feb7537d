// The command line's top level: global options, the command groups, exit codes.
#include "cli/cli.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "base/safe_text.h"
#include "cli/cli_common.h"
#include "service/user_service.h"
#include "store/open/open_store.h"
#include "store/store.h"

namespace cx {

namespace {

// The acting person's label in a refusal: where the login came from.
std::string ActorSource(const CliEnv& env) {
  return (env.as_from_env ? "$CXHUB_USER '" : "--as '") + env.as + "'";
}

// Refuses a command that would create a hub it is not meant to (HubUse::kExisting), and a
// new hub whose folder is missing, before the store creates anything or says only "unable to
// open database file".
Status CheckHubFile(const CliEnv& env, HubUse use) {
  const std::string path = StoreFilePath(env.db_url);
  if (path.empty()) return Status::Ok();
  struct stat st;
  const bool exists = ::stat(path.c_str(), &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > 0);
  if (exists) return Status::Ok();
  if (use == HubUse::kExisting)
    return NotFound("no hub at " + path + "; run `cxhub init` or `cxhub demo`");
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
    return Invalid("cannot create the hub " + path + ": folder " + folder.string() +
                   " does not exist");
  if (env.as != "cli")
    return Invalid(ActorSource(env) + " names no user: a new hub has none yet (act as cli)");
  return Status::Ok();
}

}  // namespace

Result<Context> CliEnv::Open(HubUse use) {
  CX_RETURN_IF_ERROR(CheckHubFile(*this, use));
  CX_ASSIGN_OR_RETURN(store, OpenStore(db_url));
  if (StoreFilePath(db_url).empty()) {
    // A server database holds a hub once `init` (or `demo`) has made its schema: until then a
    // command that reads a hub says so and creates nothing, as for a missing file.
    CX_ASSIGN_OR_RETURN(int version, store->SchemaVersion());
    if (version == 0 && use == HubUse::kExisting)
      return NotFound("no hub in the database " + RedactedStoreUrl(db_url) +
                      "; run `cxhub init` or `cxhub demo`");
    if (version == 0 && as != "cli")
      return Invalid(ActorSource(*this) + " names no user: a new hub has none yet (act as cli)");
  }
  CX_RETURN_IF_ERROR(store->Migrate());
  Context ctx;
  ctx.store = store.get();
  ctx.actor = as;
  if (!zone.empty()) {
    CX_ASSIGN_OR_RETURN(ctx.zone, Zone::Find(zone));
  }
  if (as != "cli") {
    // The audit log names real people only: a login (or a user's full name, recorded as
    // the login) that names no user is refused before anything is written.
    std::optional<User> user;
    CX_RETURN_IF_ERROR(store->Read([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
      if (const User* u = people.Find(as)) user = *u;
      return Status::Ok();
    }));
    if (!user)
      return Invalid(ActorSource(*this) + " names no user of this hub (see `cxhub user list`)");
    ctx.actor = user->login;
  }
  return ctx;
}

OutputPolicy CliEnv::Output(bool force) const {
  OutputPolicy p;
  p.force = force;
  const std::string db = StoreFilePath(db_url);
  if (!db.empty()) {
    for (auto& file : StoreFiles(db)) p.protected_paths.push_back(std::move(file));
  }
  return p;
}

Status WriteOutput(const CliEnv& env, const std::string& path, FileKind kind, bool force,
                   const std::function<Status(const std::string& temp_path)>& write) {
  return WriteOutputFile(path, kind, env.Output(force), write);
}

Result<std::string> ReadNotesFile(const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (std::cin.bad()) return Invalid("--notes-file -: cannot read standard input");
  } else {
    std::ifstream f(path, std::ios::binary);
    if (!f) return Invalid("--notes-file " + path + ": cannot be read: " + std::strerror(errno));
    text.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    if (f.bad()) return Invalid("--notes-file " + path + ": cannot be read");
  }
  if (text.ends_with("\r\n")) {
    text.resize(text.size() - 2);
  } else if (text.ends_with("\n")) {
    text.pop_back();
  }
  return text;
}

int Fail(const Status& st) {
  std::fprintf(stderr, "cxhub: %s\n", TerminalText(st.ToString()).c_str());
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

void Print(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  if (n > 0) {
    std::string text(size_t(n) + 1, '\0');
    std::vsnprintf(text.data(), text.size(), format, again);
    text.resize(size_t(n));
    const std::string safe = TerminalText(text);
    std::fwrite(safe.data(), 1, safe.size(), stdout);
  }
  va_end(again);
}

void PrintJson(const nlohmann::json& j) {
  std::string s = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
}

int WithHub(CliEnv& env, const std::function<int(Context&)>& fn, HubUse use) {
  auto ctx = env.Open(use);
  if (!ctx.ok()) return Fail(ctx.status());
  return fn(*ctx);
}

Result<Timestamp> ParseTimeOption(const Context& ctx, const std::string& name,
                                  const std::string& text) {
  auto t = ParseTime(text, ctx.zone);
  if (!t.ok()) return Invalid(name + ": " + t.status().message());
  return t;
}

namespace {

// The first word of the command line that names no command where a command is expected,
// with the commands before it ("merge frob"), or "" when every word fits. CLI11 would say
// only "A subcommand is required" or list the word as unexpected.
std::string UnknownCommand(CLI::App& app, int argc, char** argv) {
  CLI::App* cur = &app;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string t = argv[i];
    if (t == "--") break;
    if (t.size() > 1 && t[0] == '-') {
      if (t.find('=') != std::string::npos) continue;
      for (CLI::App* a = cur; a; a = a->get_parent()) {
        if (const CLI::Option* opt = a->get_option_no_throw(t)) {
          if (opt->get_expected_max() > 0) ++i;  // its value
          break;
        }
      }
      continue;
    }
    auto subs = cur->get_subcommands([](CLI::App*) { return true; });
    if (subs.empty()) break;  // positional arguments from here on
    CLI::App* next = nullptr;
    for (CLI::App* s : subs) {
      if (s->check_name(t)) next = s;
    }
    if (next) {
      cur = next;
      path += t + " ";
      continue;
    }
    if (cur->get_require_subcommand_min() > 0 ||
        cur->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty())
      return path + t;
    break;
  }
  return "";
}

// The deepest command chosen on the command line.
CLI::App* ChosenCommand(CLI::App& app) {
  CLI::App* cur = &app;
  while (!cur->get_subcommands().empty()) cur = cur->get_subcommands().front();
  return cur;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CliEnv env;
  const char* db = std::getenv("CXHUB_DB");
  env.db_url = db && *db ? db : kDefaultStoreUrl;
  const char* user = std::getenv("CXHUB_USER");
  env.as = user && *user ? user : "cli";
  env.as_from_env = user && *user;
  bool json = false;

  CLI::App app{
      "cxhub: the customer-experience hub (accounts, contacts, interactions, pipeline, SLAs, "
      "KPIs)"};
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.require_subcommand(1);
  // Every command passes the options it does not know to its parent, so the global options
  // below are accepted before or after the command (`merge accounts A B --as steward.login`).
  // Subcommands inherit the setting when they are added, hence before the groups register.
  app.fallthrough();
  app.add_option("--db", env.db_url,
                 std::string("Database URL: ") + kStoreUrlForms + " (default " + kDefaultStoreUrl +
                     " or $CXHUB_DB)");
  app.add_option_function<std::string>(
      "--as",
      [&env](const std::string& login) {
        env.as = login;
        env.as_from_env = false;
      },
      "Login of the person acting, for the audit log (default $CXHUB_USER or cli); must name a "
      "user");
  app.add_option("--zone", env.zone, "Time zone for input and output (default Africa/Lagos)");
  app.add_flag("--json", json, "Print one JSON document on stdout (commands that have --json)");
  RegisterCoreCommands(app, env);
  RegisterDemoCommand(app, env);
  RegisterWorkbookCommands(app, env);
  RegisterErpCommands(app, env);
  RegisterJourneyCommands(app, env);
  RegisterKpiCommands(app, env);
  RegisterCheckCommand(app, env);
  RegisterServeCommands(app, env);     // serve_cmd.cc: after core (adds to `user`)
  RegisterFeedbackCommands(app, env);  // feedback_cmd.cc: after core (adds to `contact`)
  RegisterStrategyCommands(app, env);
  RegisterGoLiveCommands(app, env);
  RegisterMoveCommand(app, env);
  if (std::string unknown = UnknownCommand(app, argc, argv); !unknown.empty()) {
    std::fprintf(stderr, "cxhub: unknown command '%s'; see cxhub --help\n", unknown.c_str());
    return 2;
  }
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
  if (json) {
    // --json given before the command (or after one that has none of its own): it is the
    // command's own flag.
    CLI::App* cmd = ChosenCommand(app);
    CLI::Option* own = cmd == &app ? nullptr : cmd->get_option_no_throw("--json");
    if (!own) {
      std::fprintf(stderr, "cxhub: '%s' has no --json output\n", cmd->get_name().c_str());
      return 2;
    }
    own->add_result("true");
    own->run_callback();
  }
  try {
    return env.action();
  } catch (const std::exception& e) {
    return Fail(Internal(std::string("unexpected error: ") + e.what()));
  }
}

}  // namespace cx
