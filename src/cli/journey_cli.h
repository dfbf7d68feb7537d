// What the journey commands share (opportunity_cmd.cc, case_cmd.cc, journey_cmd.cc): their
// options, how a command's callback is bound, and two small converters. Internal to src/cli/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "service/opportunity_service.h"

namespace cx::journey_cli {

// The options of every journey command (one set: CLI11 fills the parsed command's).
struct JOpts {
  bool json = false, override_ = false, all = false, overdue = false, open = false;
  std::string id, stage, reason, closer, date, at, owner, division, answer, config_dir, amount;
  std::vector<std::string> items, fields;
  Opportunity opp;
  Case kase;
};

// Binds `f` as the action of `cmd`, run after parsing with the filled options.
template <typename F>
void OnRun(CLI::App* cmd, CliEnv& env, std::shared_ptr<JOpts> o, F f) {
  cmd->callback([&env, o, f] { env.action = [&env, o, f] { return f(env, *o); }; });
}

// The moment of a --date/--at option; nullopt when it was not given. Errors: kInvalid naming the
// option.
Result<std::optional<Timestamp>> OptTime(const Context& ctx, const char* name,
                                         const std::string& text);

// The example a --date option's help gives.
inline const char* const kDateHelp =
    "When (default now), e.g. 2026-04-03 14:05 or 03/04/2026 14:05";

// `opportunity add|move|check|win|lose|show|route` (opportunity_cmd.cc).
void RegisterOpportunityCommands(CLI::App& app, CliEnv& env, const std::shared_ptr<JOpts>& o);
// `ownership set|history` (opportunity_cmd.cc).
void RegisterOwnershipCommands(CLI::App& app, CliEnv& env, const std::shared_ptr<JOpts>& o);
// `case open|respond|confirm|approve-quote|start-work|close|show` (case_cmd.cc).
void RegisterCaseCommands(CLI::App& app, CliEnv& env, const std::shared_ptr<JOpts>& o);

}  // namespace cx::journey_cli
