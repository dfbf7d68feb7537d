// Shared plumbing of the command groups: global options, opening the hub, output
// and the mapping of errors to exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

#include "base/output_file.h"
#include "service/context.h"

namespace cx {

// Whether a command may create the hub it opens: only init and demo do.
enum class HubUse { kExisting, kCreate };

// State shared by every command of one invocation.
struct CliEnv {
  std::string db_url;           // --db, $CXHUB_DB, or kDefaultStoreUrl
  std::string as;               // --as, $CXHUB_USER, or "cli"
  bool as_from_env = false;     // `as` came from $CXHUB_USER (named so in a refusal)
  std::string zone;             // --zone, default Africa/Lagos
  std::function<int()> action;  // set by the chosen command's callback
  std::unique_ptr<Store> store;

  // Opens the database, applies pending migrations, and builds the Context. With
  // HubUse::kExisting a missing database file is refused (kNotFound: "no hub at PATH")
  // and nothing is created. The acting person (`as`) must be "cli" or a user of the hub
  // (kInvalid otherwise, before anything is written).
  Result<Context> Open(HubUse use = HubUse::kExisting);
  // The checks of a file a command writes: never the hub's own database (nor its -wal,
  // -journal, -shm), and an existing file of another kind only with `force`.
  OutputPolicy Output(bool force) const;
};

// Prints an error (message and every detail) to stderr and returns its exit
// status: 2 for invalid input / refusals / not found, 1 for anything else.
int Fail(const Status& st);
// printf for the text output of every command: the formatted text goes out with control
// characters and terminal escape sequences removed (base/safe_text.h, TerminalText), so that
// a name holding them cannot rewrite the operator's screen.
void Print(const char* format, ...) __attribute__((format(printf, 1, 2)));
// Prints one JSON document on stdout.
void PrintJson(const nlohmann::json& j);
// Runs `fn` with an opened Context; maps a failed Open or a non-zero return.
int WithHub(CliEnv& env, const std::function<int(Context&)>& fn, HubUse use = HubUse::kExisting);
// Writes the file `path` of `kind` through `write` (given a temporary path in the same folder,
// renamed into place when complete), with the checks of env.Output(force).
Status WriteOutput(const CliEnv& env, const std::string& path, FileKind kind, bool force,
                   const std::function<Status(const std::string& temp_path)>& write);
// The text of a --notes-file option: the file's content, or standard input for "-"; one
// trailing line break is dropped. Errors: kInvalid naming the file.
Result<std::string> ReadNotesFile(const std::string& path);
// Parses a wall-clock time option in the hub's zone; exits via Fail on error.
Result<Timestamp> ParseTimeOption(const Context& ctx, const std::string& name,
                                  const std::string& text);

// Each command group adds its subcommands. Commands set env.action.
void RegisterCoreCommands(CLI::App& app, CliEnv& env);  // init, search, duplicates, merge, account,
                                                        // contact, interaction, audit, backup, user
void RegisterDemoCommand(CLI::App& app, CliEnv& env);   // demo
void RegisterWorkbookCommands(CLI::App& app, CliEnv& env);  // import-workbook, export-workbook
void RegisterErpCommands(CLI::App& app, CliEnv& env);       // erp-sync, links
void RegisterJourneyCommands(
    CLI::App& app, CliEnv& env);  // opportunity, case, ownership, sla, next-actions, config
void RegisterKpiCommands(CLI::App& app, CliEnv& env);    // kpi, review
void RegisterServeCommands(CLI::App& app, CliEnv& env);  // serve, token, user disable|…
// touchpoint, touchpoints, feedback, survey, contact edit (after core: adds to `contact`)
void RegisterFeedbackCommands(CLI::App& app, CliEnv& env);
void RegisterCheckCommand(CLI::App& app, CliEnv& env);      // check
void RegisterStrategyCommands(CLI::App& app, CliEnv& env);  // strategy, cem
void RegisterGoLiveCommands(CLI::App& app, CliEnv& env);    // golive, discovery, hub-feedback
void RegisterMoveCommand(CLI::App& app, CliEnv& env);       // move-store

}  // namespace cx

// In a command body returning an exit status: returns Fail(st) when st is not ok.
#define CX_RETURN_IF_ERROR_CLI(expr)                     \
  do {                                                   \
    ::cx::Status cx_cli_st_ = (expr);                    \
    if (!cx_cli_st_.ok()) return ::cx::Fail(cx_cli_st_); \
  } while (0)
