// The demo command: realistic data for all five divisions.
#include <cstdio>

#include "cli/cli_common.h"
#include "service/demo_service.h"

namespace cx {

void RegisterDemoCommand(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<DemoOptions>();
  auto* demo =
      app.add_subcommand("demo", "Fill the hub with realistic demo data for all five divisions");
  demo->add_option("--accounts", o->accounts, "How many accounts (default 300)");
  demo->add_option("--contacts", o->contacts, "How many contacts (default: 2 per account)");
  demo->add_option("--interactions", o->interactions,
                   "Everyday interactions (default 8 per account, at most 200,000)");
  demo->add_option("--seed", o->seed, "Random seed (same seed and --as-of, same data)");
  demo->add_option("--as-of", o->as_of, "Last day of the data, YYYY-MM-DD (default today)");
  demo->add_option("--duplicate-rate", o->duplicate_rate,
                   "Share of accounts given a planted duplicate (default 0.02)");
  demo->add_flag("--quiet", o->quiet, "No progress on stderr");
  demo->callback([&env, o] {
    env.action = [&env, o] {
      return WithHub(
          env,
          [&](Context& ctx) {
            auto r = GenerateDemo(ctx, *o);
            if (!r.ok()) return Fail(r.status());
            Print(
                "demo data: %lld accounts (%lld planted duplicates), %lld contacts, %lld "
                "interactions, "
                "%lld opportunities, %lld cases, %lld orders, %lld feedback (%lld survey answers), "
                "%lld touchpoints, %lld newsletter sign-ups, %lld users\n",
                (long long)r->accounts, (long long)r->planted_duplicates, (long long)r->contacts,
                (long long)r->interactions, (long long)r->opportunities, (long long)r->cases,
                (long long)r->orders, (long long)r->feedback, (long long)r->survey_answers,
                (long long)r->touchpoints, (long long)r->newsletter, (long long)r->users);
            return 0;
          },
          HubUse::kCreate);
    };
  });
}

}  // namespace cx
