// Journey commands: registers opportunity, case and ownership (opportunity_cmd.cc, case_cmd.cc)
// and holds sla, next-actions and config. Thin: parse → one service call → print.
#include <cstdio>
#include <memory>

#include "cli/cli_common.h"
#include "cli/journey_cli.h"
#include "render/journey_json.h"
#include "render/json_out.h"
#include "render/report_json.h"
#include "service/config_service.h"
#include "service/next_action_service.h"
#include "service/sla_service.h"

namespace cx {
namespace journey_cli {

Result<std::optional<Timestamp>> OptTime(const Context& ctx, const char* name,
                                         const std::string& text) {
  if (text.empty()) return std::optional<Timestamp>();
  CX_ASSIGN_OR_RETURN(Timestamp t, ParseTimeOption(ctx, name, text));
  return std::optional<Timestamp>(t);
}

namespace {

int Sla(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    if (o.json) {
      auto doc = SlaReport(ctx, {o.division, o.owner, o.at, o.all, o.open, "--"});
      if (!doc.ok()) return Fail(doc.status());
      PrintJson(*doc);
      return 0;
    }
    SlaQuery q;
    q.division = o.division;
    q.owner = o.owner;
    q.all = o.all || o.open;
    auto t = OptTime(ctx, "--at", o.at);
    if (!t.ok()) return Fail(t.status());
    q.at = *t;
    const Timestamp at = SlaMoment(ctx, q);
    q.at = at;
    auto r = ComputeSla(ctx, q);
    if (!r.ok()) return Fail(r.status());
    if (o.open) {
      // Only the clocks still running at `at`: whatever their state, none has stopped.
      std::erase_if(*r, [](const SlaItem& i) { return i.stopped.has_value(); });
    }
    const Zone& z = ctx.zone;
    Print("SLA clocks at %s%s\n", FormatTime(at, z).c_str(),
          o.open  ? " (still running)"
          : o.all ? ""
                  : " (breached and at-risk)");
    for (const auto& i : *r) {
      Print("%-9s %-13s %-12s %-18s %-12s started %s  due %s%s\n",
            std::string(SlaStateName(i.state)).c_str(), std::string(i.kind).c_str(), i.id.c_str(),
            std::string(i.division).c_str(), i.owner.empty() ? "(none)" : i.owner.c_str(),
            FormatTime(i.started, z).c_str(), FormatTime(i.due, z).c_str(),
            i.stopped ? ("  stopped " + FormatTime(*i.stopped, z)).c_str() : "");
    }
    if (r->empty()) Print("nothing to show\n");
    return 0;
  });
}

int NextActions(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    if (o.json) {
      auto doc = NextActionReport(ctx, {o.owner, o.at, o.overdue, "--"});
      if (!doc.ok()) return Fail(doc.status());
      PrintJson(*doc);
      return 0;
    }
    NextActionQuery q;
    q.overdue_only = o.overdue;
    q.owner = o.owner;
    auto t = OptTime(ctx, "--at", o.at);
    if (!t.ok()) return Fail(t.status());
    q.at = *t;
    auto r = ListNextActions(ctx, q);
    if (!r.ok()) return Fail(r.status());
    const Zone& z = ctx.zone;
    for (const auto& i : *r) {
      Print("%-9s %-12s %-20s %-12s %s%s\n", i.id.c_str(), i.owner.c_str(),
            i.due ? FormatTime(*i.due, z).c_str() : "-", (i.opportunity_id + i.case_id).c_str(),
            i.action.c_str(), i.overdue ? "  OVERDUE" : "");
    }
    if (r->empty()) Print("no open next actions\n");
    return 0;
  });
}

int NextActionDone(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    CX_RETURN_IF_ERROR_CLI(CompleteNextAction(ctx, o.id));
    Print("next action %s done\n", o.id.c_str());
    return 0;
  });
}

// Needs no database: validates the configuration files.
int ConfigCheck(CliEnv&, JOpts& o) {
  std::string dir = o.config_dir.empty() ? ConfigDirFromEnvironment() : o.config_dir;
  auto cfg = LoadConfig(dir);
  if (!cfg.ok()) return Fail(cfg.status());
  if (o.json) {
    nlohmann::json divs = nlohmann::json::array();
    for (const auto& j : cfg->journeys.journeys)
      divs.push_back({{"division", j.division}, {"stages", j.stages}});
    PrintJson({{"ok", true},
               {"journeys", cfg->journeys_source},
               {"calendar", cfg->calendar_source},
               {"divisions", divs}});
    return 0;
  }
  Print("journeys: %s — ok\n", cfg->journeys_source.c_str());
  for (const auto& j : cfg->journeys.journeys) {
    std::string stages;
    for (const auto& s : j.stages) stages += (stages.empty() ? "" : " → ") + s;
    Print("  %-18s %s (lost: %s); %zu checklist(s), %zu next-action rule(s), %zu SLA clock(s)\n",
          j.division.c_str(), stages.c_str(), j.lost_stage.c_str(), j.checklists.size(),
          j.next_actions.size(), j.slas.size());
  }
  Print("  routing: %s leads, %zu rule(s), %zu team(s)\n", cfg->journeys.routing.division.c_str(),
        cfg->journeys.routing.rules.size(), cfg->journeys.routing.teams.size());
  const auto& spec = cfg->calendar.spec();
  Print("calendar: %s — ok (%s, %zu fixed and %zu dated holidays)\n", cfg->calendar_source.c_str(),
        spec.zone.c_str(), spec.fixed_holidays.size(), spec.dated_holidays.size());
  return 0;
}

// Needs no database: every division's journey as configured (the stages in order, each
// stage's checklists, next actions and SLA clocks).
int ConfigShow(CliEnv&, JOpts& o) {
  std::string dir = o.config_dir.empty() ? ConfigDirFromEnvironment() : o.config_dir;
  auto cfg = LoadConfig(dir);
  if (!cfg.ok()) return Fail(cfg.status());
  if (o.json) {  // the document GET /api/v1/journeys answers too
    PrintJson(JourneysJson(cfg->journeys, cfg->calendar.spec()));
    return 0;
  }
  const nlohmann::json doc = JourneysJson(cfg->journeys, cfg->calendar.spec());
  auto text = [](const nlohmann::json& v) { return v.get<std::string>(); };
  auto print_clock = [&](const char* what, const nlohmann::json& r) {
    Print("    %s %s: %g %s hours\n", what, text(r["kind"]).c_str(), r["hours"].get<double>(),
          r["business_hours"].get<bool>() ? "business" : "clock");
  };
  for (const auto& j : doc["journeys"]) {
    Print("%s (lost: %s)\n", text(j["division"]).c_str(), text(j["lost_stage"]).c_str());
    for (const auto& st : j["stages"]) {
      Print("  %-14s %s\n", text(st["name"]).c_str(), text(st["outcome"]).c_str());
      for (const auto& c : st["checklists"]) {
        Print("    checklist %s:\n", text(c["title"]).c_str());
        for (const auto& it : c["items"]) {
          Print("      - %s%s\n", text(it["label"]).c_str(),
                it["required"].get<bool>() ? "" : " (optional)");
        }
      }
      for (const auto& a : st["next_actions"]) {
        Print("    next action: %s, due in %d days\n", text(a["action"]).c_str(),
              a["due_days"].get<int>());
      }
      for (const auto& r : st["slas"]) print_clock("SLA", r);
    }
    for (const auto& r : j["case_slas"]) print_clock("case SLA", r);
  }
  return 0;
}

}  // namespace
}  // namespace journey_cli

void RegisterJourneyCommands(CLI::App& app, CliEnv& env) {
  using namespace journey_cli;
  auto o = std::make_shared<JOpts>();
  RegisterOpportunityCommands(app, env, o);
  RegisterCaseCommands(app, env, o);
  RegisterOwnershipCommands(app, env, o);

  auto* sla = app.add_subcommand("sla", "SLA clocks: breached and at-risk, worst first");
  sla->add_option("--division", o->division, "Only this division");
  sla->add_option("--owner", o->owner, "Only this owner");
  sla->add_option("--at", o->at, "The moment (default now)");
  auto* all = sla->add_flag("--all", o->all, "Every clock, not only breached and at-risk");
  sla->add_flag("--open", o->open,
                "Only the clocks still running (not yet stopped), breached, at-risk or running")
      ->excludes(all);
  sla->add_flag("--json", o->json, "Print {\"at\", \"items\": […]}");
  OnRun(sla, env, o, Sla);

  auto* na = app.add_subcommand("next-actions", "Open next actions, earliest due first");
  na->add_flag("--overdue", o->overdue, "Only overdue ones");
  na->add_option("--owner", o->owner, "Only this owner's");
  na->add_option("--at", o->at, "Judge overdue at this moment (default now)");
  na->add_flag("--json", o->json, "Print {\"next_actions\": […]}");
  auto* nadone = na->add_subcommand("done", "Mark a next action done (I-… or N-…)");
  nadone->add_option("id", o->id, "Interaction or next-action ID")->required();
  OnRun(nadone, env, o, NextActionDone);
  // The list runs only when `done` was not given (CLI11 runs a parent's callback after its
  // subcommand's).
  na->callback([&env, o, nadone] {
    if (!nadone->parsed()) env.action = [&env, o] { return NextActions(env, *o); };
  });

  auto* config = app.add_subcommand("config", "Configuration: journeys and business calendar");
  config->require_subcommand(1);
  auto* ccheck = config->add_subcommand("check",
                                        "Validate journeys.toml and calendar.toml (from --config "
                                        "DIR or $CXHUB_CONFIG_DIR, else the defaults)");
  ccheck->add_option("--config", o->config_dir,
                     "Directory holding journeys.toml and/or calendar.toml");
  ccheck->add_flag("--json", o->json, "Print a summary as JSON");
  OnRun(ccheck, env, o, ConfigCheck);
  auto* cshow = config->add_subcommand(
      "show",
      "Every division's journey: stages in order, each stage's checklists, next actions and SLA "
      "clocks (from --config DIR or $CXHUB_CONFIG_DIR, else the defaults)");
  cshow->add_option("--config", o->config_dir,
                    "Directory holding journeys.toml and/or calendar.toml");
  cshow->add_flag("--json", o->json,
                  "Print {\"journeys\": [{division, won_stage, lost_stage, stages: [{name, "
                  "outcome, checklists, next_actions, slas}…], case_slas}…]}");
  OnRun(cshow, env, o, ConfigShow);
}

}  // namespace cx
