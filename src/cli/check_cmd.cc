// `cxhub check`: verifies the hub and names what is damaged (exit 1), or says it is sound.
#include <cstdio>

#include "cli/cli_common.h"
#include "service/check_service.h"

namespace cx {
namespace {

int CheckCmd(CliEnv& env, bool json) {
  return WithHub(env, [&](Context& ctx) {
    const HubCheckReport r = CheckHub(ctx);
    if (json) {
      nlohmann::json checks = nlohmann::json::array();
      for (const auto& c : r.checks) {
        checks.push_back(
            {{"check", c.check}, {"ok", c.ok}, {"summary", c.summary}, {"problems", c.problems}});
      }
      PrintJson({{"ok", r.ok()}, {"db", env.db_url}, {"checks", checks}});
    } else {
      for (const auto& c : r.checks) {
        Print("%-8s %-24s %s\n", c.ok ? "ok" : "DAMAGED", c.check.c_str(), c.summary.c_str());
        for (const auto& p : c.problems) Print("           %s\n", p.c_str());
      }
    }
    if (r.ok()) {
      if (!json) Print("OK: %s passed all %zu checks\n", env.db_url.c_str(), r.checks.size());
      return 0;
    }
    std::fprintf(stderr,
                 "cxhub: %s is damaged (see above); restore the last good copy made by `cxhub "
                 "backup`, or keep working on a copy and report the damage\n",
                 env.db_url.c_str());
    return 1;
  });
}

}  // namespace

void RegisterCheckCommand(CLI::App& app, CliEnv& env) {
  auto json = std::make_shared<bool>(false);
  auto* check = app.add_subcommand(
      "check",
      "Verify the hub: storage, references, the audit log's sequence, the name index; exit 1 "
      "naming what is damaged");
  check->add_flag("--json", *json,
                  "Print {\"ok\": BOOL, \"checks\": [{check, ok, summary, problems}…]}");
  check->callback([&env, json] { env.action = [&env, json] { return CheckCmd(env, *json); }; });
}

}  // namespace cx
