// Journey commands: opportunity, case, ownership, sla, next-actions, config. Thin: parse → one
// service call → print.
#include <cstdio>
#include <memory>

#include "cli/cli_common.h"
#include "cli/json_out.h"
#include "service/case_service.h"
#include "service/config_service.h"
#include "service/next_action_service.h"
#include "service/opportunity_service.h"
#include "service/sla_service.h"

namespace cx {
namespace {

struct JOpts {
  bool json = false, override_ = false, all = false, overdue = false, open = false;
  std::string id, stage, reason, closer, date, at, owner, division, answer, config_dir, amount;
  std::vector<std::string> items, fields;
  Opportunity opp;
  Case kase;
};

template <typename F>
void OnRun(CLI::App* cmd, CliEnv& env, std::shared_ptr<JOpts> o, F f) {
  cmd->callback([&env, o, f] { env.action = [&env, o, f] { return f(env, *o); }; });
}

// Parses --date when given.
Result<std::optional<Timestamp>> OptTime(const Context& ctx, const char* name,
                                         const std::string& text) {
  if (text.empty()) return std::optional<Timestamp>();
  CX_ASSIGN_OR_RETURN(Timestamp t, ParseTimeOption(ctx, name, text));
  return std::optional<Timestamp>(t);
}

nlohmann::json HistoryJson(const std::vector<StageEntry>& h, const Zone& z) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : h)
    arr.push_back({{"stage", e.stage}, {"entered", FormatTime(e.entered, z)}, {"by", e.by}});
  return arr;
}

nlohmann::json ActionJson(const JourneyAction& a, const Zone& z) {
  return {{"id", JourneyActionId(a.seq)},
          {"action", a.action},
          {"due", TimeJson(a.due, z)},
          {"owner", a.owner},
          {"done", a.done},
          {"rule", a.rule}};
}

void PrintOpportunity(const Opportunity& o, const Zone& z) {
  Print("%s  %s  %s  stage %s  %s  owner %s  created %s\n", o.id.c_str(), o.division.c_str(),
        o.account_id.c_str(), o.stage.c_str(), o.outcome.c_str(),
        o.owner.empty() ? "(none)" : o.owner.c_str(), FormatTime(o.created, z).c_str());
}

int PrintMove(const Context& ctx, const JOpts& o, const MoveResult& r) {
  if (o.json) {
    nlohmann::json j = ToJson(r.opportunity, ctx.zone);
    j["overridden"] = r.overridden;
    j["next_actions"] = r.next_actions;
    PrintJson(j);
    return 0;
  }
  PrintOpportunity(r.opportunity, ctx.zone);
  for (const auto& m : r.overridden) Print("  overridden: %s\n", m.c_str());
  for (const auto& n : r.next_actions) Print("  next action %s created\n", n.c_str());
  return 0;
}

int OppAdd(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    for (const auto& f : o.fields) {
      size_t eq = f.find('=');
      if (eq == std::string::npos || eq == 0)
        return Fail(Invalid("--field '" + f + "': expected NAME=VALUE"));
      o.opp.custom[f.substr(0, eq)] = f.substr(eq + 1);
    }
    if (!o.amount.empty()) {
      char* end = nullptr;
      double v = std::strtod(o.amount.c_str(), &end);
      if (!end || *end != '\0')
        return Fail(Invalid("--amount: '" + o.amount + "' is not a number"));
      o.opp.amount = v;
    }
    auto t = OptTime(ctx, "--date", o.date);
    if (!t.ok()) return Fail(t.status());
    if (*t) o.opp.created = **t;
    auto r = AddOpportunity(ctx, o.opp);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      nlohmann::json j = ToJson(r->opportunity, ctx.zone);
      j["routing"] = r->routing ? nlohmann::json{{"owner", r->routing->owner},
                                                 {"rule", r->routing->rule},
                                                 {"why", r->routing->why}}
                                : nlohmann::json(nullptr);
      j["next_actions"] = r->next_actions;
      PrintJson(j);
      return 0;
    }
    Print("opportunity %s created at %s\n", r->opportunity.id.c_str(),
          r->opportunity.stage.c_str());
    if (r->routing) {
      const RoutingDecision& d = *r->routing;
      std::string by = d.rule.empty() ? d.why : "rule '" + d.rule + "': " + d.why;
      Print("  routed to %s (%s)\n", d.owner.empty() ? "nobody" : d.owner.c_str(), by.c_str());
    }
    return 0;
  });
}

int OppMove(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto t = OptTime(ctx, "--date", o.date);
    if (!t.ok()) return Fail(t.status());
    auto r = MoveOpportunity(ctx, o.id, o.stage, *t, Override{o.override_, o.reason});
    if (!r.ok()) return Fail(r.status());
    return PrintMove(ctx, o, *r);
  });
}

int OppWin(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto t = OptTime(ctx, "--date", o.date);
    if (!t.ok()) return Fail(t.status());
    auto r = WinOpportunity(ctx, o.id, o.closer, *t, Override{o.override_, o.reason});
    if (!r.ok()) return Fail(r.status());
    return PrintMove(ctx, o, *r);
  });
}

int OppLose(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto t = OptTime(ctx, "--date", o.date);
    if (!t.ok()) return Fail(t.status());
    auto r = LoseOpportunity(ctx, o.id, o.reason, *t);
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson(ToJson(*r, ctx.zone));
    else
      PrintOpportunity(*r, ctx.zone);
    return 0;
  });
}

int OppCheck(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    CX_RETURN_IF_ERROR_CLI(CheckItems(ctx, o.id, o.items, o.answer));
    Print("%zu checklist item(s) recorded for %s\n", o.items.size(), o.id.c_str());
    return 0;
  });
}

int OppRoute(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto r = RouteOpportunity(ctx, o.id);
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson({{"owner", r->owner}, {"rule", r->rule}, {"why", r->why}});
    else
      Print("%s → %s (%s)\n", o.id.c_str(), r->owner.empty() ? "nobody" : r->owner.c_str(),
            r->why.c_str());
    return 0;
  });
}

int OppShow(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto v = ShowOpportunity(ctx, o.id);
    if (!v.ok()) return Fail(v.status());
    const Zone& z = ctx.zone;
    if (o.json) {
      nlohmann::json j = ToJson(v->opportunity, z);
      j["custom"] = v->opportunity.custom;
      j["stage_history"] = HistoryJson(v->history, z);
      j["checklist"] = nlohmann::json::array();
      for (const auto& c : v->checklist) {
        j["checklist"].push_back({{"checklist", c.checklist},
                                  {"required_for", c.required_for},
                                  {"item", c.item.label},
                                  {"key", c.item.key},
                                  {"required", c.item.required},
                                  {"done", c.done},
                                  {"answer", c.answer},
                                  {"by", c.by},
                                  {"at", TimeJson(c.at, z)}});
      }
      j["next_actions"] = nlohmann::json::array();
      for (const auto& a : v->next_actions) j["next_actions"].push_back(ActionJson(a, z));
      j["interactions"] = nlohmann::json::array();
      for (const auto& i : v->interactions) j["interactions"].push_back(ToJson(i, z));
      PrintJson(j);
      return 0;
    }
    PrintOpportunity(v->opportunity, z);
    if (!v->opportunity.title.empty()) Print("  title: %s\n", v->opportunity.title.c_str());
    if (!v->opportunity.lost_reason.empty())
      Print("  lost: %s\n", v->opportunity.lost_reason.c_str());
    Print("stage history:\n");
    for (const auto& e : v->history) {
      Print("  %s  %-14s %s\n", FormatTime(e.entered, z).c_str(), e.stage.c_str(), e.by.c_str());
    }
    Print("checklists:\n");
    for (const auto& c : v->checklist) {
      Print("  [%s] %-16s %s%s\n", c.done ? "x" : " ", c.checklist.c_str(), c.item.label.c_str(),
            c.item.required ? "" : " (optional)");
    }
    Print("next actions:\n");
    for (const auto& a : v->next_actions) {
      Print("  %s  %s  due %s  %s%s\n", JourneyActionId(a.seq).c_str(), a.action.c_str(),
            a.due ? FormatTime(*a.due, z).c_str() : "-", a.owner.c_str(), a.done ? "  (done)" : "");
    }
    Print("interactions (%zu)\n", v->interactions.size());
    return 0;
  });
}

int CaseOpen(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto t = OptTime(ctx, "--date", o.date);
    if (!t.ok()) return Fail(t.status());
    if (*t) o.kase.opened = **t;
    auto r = OpenCase(ctx, o.kase);
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson(ToJson(*r, ctx.zone));
    else
      Print("case %s opened (%s, %s)\n", r->id.c_str(), r->kind.c_str(), r->division.c_str());
    return 0;
  });
}

nlohmann::json CaseJson(const Case& c, const Zone& z) {
  nlohmann::json j = ToJson(c, z);
  j["quote_approved"] = TimeJson(c.quote_approved, z);
  j["work_started"] = TimeJson(c.work_started, z);
  return j;
}

void PrintCase(const Case& c, const Zone& z) {
  auto t = [&](const std::optional<Timestamp>& v) {
    return v ? FormatTime(*v, z) : std::string("-");
  };
  Print("%s  %s  %s  %s  owner %s\n", c.id.c_str(), c.kind.c_str(), c.division.c_str(),
        c.account_id.c_str(), c.owner.c_str());
  Print("  opened %s  first response %s  resolution confirmed %s  closed %s\n",
        FormatTime(c.opened, z).c_str(), t(c.first_response).c_str(),
        t(c.resolution_confirmed).c_str(), t(c.closed).c_str());
  if (c.kind == "service-job") {
    Print("  quote approved %s  work started %s\n", t(c.quote_approved).c_str(),
          t(c.work_started).c_str());
  }
}

template <CaseStep kStep>
int CaseAdvance(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto t = OptTime(ctx, "--date", o.date);
    if (!t.ok()) return Fail(t.status());
    auto r = AdvanceCase(ctx, o.id, kStep, *t);
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson(CaseJson(*r, ctx.zone));
    else
      PrintCase(*r, ctx.zone);
    return 0;
  });
}

int CaseShow(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto v = ShowCase(ctx, o.id);
    if (!v.ok()) return Fail(v.status());
    if (o.json) {
      nlohmann::json j = CaseJson(v->kase, ctx.zone);
      j["interactions"] = nlohmann::json::array();
      for (const auto& i : v->interactions) j["interactions"].push_back(ToJson(i, ctx.zone));
      j["next_actions"] = nlohmann::json::array();
      for (const auto& a : v->next_actions) j["next_actions"].push_back(ActionJson(a, ctx.zone));
      PrintJson(j);
      return 0;
    }
    PrintCase(v->kase, ctx.zone);
    Print("interactions (%zu)\n", v->interactions.size());
    return 0;
  });
}

int OwnershipSet(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto r = ChangeAccountOwner(ctx, o.id, o.owner, o.reason);
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson(ToJson(*r));
    else
      Print("account %s is now owned by %s\n", r->id.c_str(), r->owner.c_str());
    return 0;
  });
}

int OwnershipHist(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto r = OwnershipHistory(ctx, o.id);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& e : *r) {
        arr.push_back({{"at", FormatTime(e.at, ctx.zone)},
                       {"by", e.actor},
                       {"previous", e.before},
                       {"owner", e.after},
                       {"reason", e.reason}});
      }
      PrintJson({{"account", o.id}, {"changes", arr}});
      return 0;
    }
    if (r->empty()) Print("no ownership changes for %s\n", o.id.c_str());
    for (const auto& e : *r) {
      Print("%s  %s → %s  by %s  (%s)\n", FormatTime(e.at, ctx.zone).c_str(),
            e.before.empty() ? "(none)" : e.before.c_str(), e.after.c_str(), e.actor.c_str(),
            e.reason.c_str());
    }
    return 0;
  });
}

int Sla(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
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
    if (o.json) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& i : *r) {
        items.push_back({{"kind", std::string(i.kind)},
                         {"id", i.id},
                         {"division", std::string(i.division)},
                         {"owner", i.owner},
                         {"state", std::string(SlaStateName(i.state))},
                         {"started", FormatTime(i.started, z)},
                         {"due", FormatTime(i.due, z)},
                         {"stopped", TimeJson(i.stopped, z)}});
      }
      PrintJson({{"at", FormatTime(at, z)}, {"items", items}});
      return 0;
    }
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
    NextActionQuery q;
    q.overdue_only = o.overdue;
    q.owner = o.owner;
    auto t = OptTime(ctx, "--at", o.at);
    if (!t.ok()) return Fail(t.status());
    q.at = *t;
    auto r = ListNextActions(ctx, q);
    if (!r.ok()) return Fail(r.status());
    const Zone& z = ctx.zone;
    if (o.json) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& i : *r) {
        items.push_back({{"id", i.id},
                         {"action", i.action},
                         {"owner", i.owner},
                         {"due", TimeJson(i.due, z)},
                         {"overdue", i.overdue},
                         {"opportunity_id", i.opportunity_id},
                         {"case_id", i.case_id},
                         {"contact_id", i.contact_id},
                         {"rule", i.rule}});
      }
      PrintJson({{"next_actions", items}});
      return 0;
    }
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

}  // namespace

void RegisterJourneyCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<JOpts>();
  const std::string date_help = "When (default now), e.g. 2026-04-03 14:05 or 03/04/2026 14:05";

  auto* opp = app.add_subcommand("opportunity",
                                 "Opportunities: leads, inquiries, deals through their journey");
  opp->require_subcommand(1);
  auto* oadd = opp->add_subcommand(
      "add", "Create an opportunity at its journey's first stage (P&I leads are routed)");
  oadd->add_option("--id", o->opp.id, "Opportunity ID (default: the next O-NNNNNN)");
  oadd->add_option("--account", o->opp.account_id, "Account ID")->required();
  oadd->add_option("--division", o->opp.division, "Division")->required();
  oadd->add_option("--owner", o->opp.owner, "Owner (default: routed for P&I leads, else --as)");
  oadd->add_option("--amount", o->amount, "Amount");
  oadd->add_option("--title", o->opp.title, "Title");
  oadd->add_option("--stage", o->opp.stage, "Starting stage (default: the first)");
  oadd->add_option("--date", o->date, "Created (default now)");
  oadd->add_option("--field", o->fields,
                   "Custom field NAME=VALUE, e.g. \"Product Line=Generators\" (repeatable)");
  oadd->add_flag("--json", o->json, "Print the opportunity as JSON");
  OnRun(oadd, env, o, OppAdd);
  auto* omove = opp->add_subcommand("move", "Move to another stage (checklists are enforced)");
  omove->add_option("id", o->id, "Opportunity ID")->required();
  omove->add_option("--to", o->stage, "Target stage")->required();
  omove->add_option("--date", o->date, date_help);
  omove->add_flag("--override", o->override_,
                  "Skip missing checklist items (a manager, with --reason)");
  omove->add_option("--reason", o->reason, "Why the override (audited)");
  omove->add_flag("--json", o->json, "Print as JSON");
  OnRun(omove, env, o, OppMove);
  auto* ocheck = opp->add_subcommand("check", "Record checklist items as done");
  ocheck->add_option("id", o->id, "Opportunity ID")->required();
  ocheck->add_option("items", o->items, "Item labels or keys")->required();
  ocheck->add_option("--answer", o->answer, "The answer or note (default: done)");
  OnRun(ocheck, env, o, OppCheck);
  auto* owin =
      opp->add_subcommand("win", "Win: the closer becomes the Account Owner (rule of engagement)");
  owin->add_option("id", o->id, "Opportunity ID")->required();
  owin->add_option("--closer", o->closer, "Who closed it (default: the opportunity's owner)");
  owin->add_option("--date", o->date, date_help);
  owin->add_flag("--override", o->override_,
                 "Skip missing checklist items (a manager, with --reason)");
  owin->add_option("--reason", o->reason, "Why the override (audited)");
  owin->add_flag("--json", o->json, "Print as JSON");
  OnRun(owin, env, o, OppWin);
  auto* olose = opp->add_subcommand("lose", "Lose, with a reason");
  olose->add_option("id", o->id, "Opportunity ID")->required();
  olose->add_option("--reason", o->reason, "Why it was lost")->required();
  olose->add_option("--date", o->date, date_help);
  olose->add_flag("--json", o->json, "Print as JSON");
  OnRun(olose, env, o, OppLose);
  auto* oshow =
      opp->add_subcommand("show", "An opportunity with stage history, checklists and next actions");
  oshow->add_option("id", o->id, "Opportunity ID")->required();
  oshow->add_flag("--json", o->json, "Print as JSON");
  OnRun(oshow, env, o, OppShow);
  auto* oroute = opp->add_subcommand("route", "Route an unowned lead again by the routing rules");
  oroute->add_option("id", o->id, "Opportunity ID")->required();
  oroute->add_flag("--json", o->json, "Print as JSON");
  OnRun(oroute, env, o, OppRoute);

  auto* kase = app.add_subcommand(
      "case", "Cases: after-sales issues, complaints, quality flags, service jobs");
  kase->require_subcommand(1);
  auto* kopen = kase->add_subcommand("open", "Open a case");
  kopen->add_option("--id", o->kase.id, "Case ID (default: the next K-NNNNNN)");
  kopen->add_option("--account", o->kase.account_id, "Account ID")->required();
  kopen->add_option("--contact", o->kase.contact_id, "Contact ID");
  kopen->add_option("--division", o->kase.division, "Division")->required();
  kopen->add_option("--kind", o->kase.kind, "after-sales, quality-flag, complaint or service-job")
      ->required();
  kopen->add_option("--summary", o->kase.summary, "What it is about");
  kopen->add_option("--owner", o->kase.owner, "Owner (default: --as)");
  kopen->add_option("--date", o->date, "Opened (default now)");
  kopen->add_flag("--json", o->json, "Print as JSON");
  OnRun(kopen, env, o, CaseOpen);
  struct Step {
    const char* name;
    const char* help;
    int (*fn)(CliEnv&, JOpts&);
  };
  for (const Step& s :
       {Step{"respond", "Record the first response", CaseAdvance<CaseStep::kRespond>},
        Step{"confirm", "Record the confirmed resolution plan", CaseAdvance<CaseStep::kConfirm>},
        Step{"approve-quote", "Record the customer's approval of the service quote",
             CaseAdvance<CaseStep::kApproveQuote>},
        Step{"start-work", "Start a service job (refused before its quote is approved)",
             CaseAdvance<CaseStep::kStartWork>},
        Step{"close", "Close the case", CaseAdvance<CaseStep::kClose>}}) {
    auto* c = kase->add_subcommand(s.name, s.help);
    c->add_option("id", o->id, "Case ID")->required();
    c->add_option("--date", o->date, date_help);
    c->add_flag("--json", o->json, "Print as JSON");
    OnRun(c, env, o, s.fn);
  }
  auto* kshow = kase->add_subcommand("show", "A case with its interactions");
  kshow->add_option("id", o->id, "Case ID")->required();
  kshow->add_flag("--json", o->json, "Print as JSON");
  OnRun(kshow, env, o, CaseShow);

  auto* own = app.add_subcommand("ownership", "Account ownership (rule of engagement)");
  own->require_subcommand(1);
  auto* oset = own->add_subcommand("set", "Change an Account Owner (a manager, with a reason)");
  oset->add_option("account", o->id, "Account ID")->required();
  oset->add_option("--owner", o->owner, "The new owner")->required();
  oset->add_option("--reason", o->reason, "Why (audited)")->required();
  oset->add_flag("--json", o->json, "Print the account as JSON");
  OnRun(oset, env, o, OwnershipSet);
  auto* ohist = own->add_subcommand("history", "Every ownership change of an account and why");
  ohist->add_option("account", o->id, "Account ID")->required();
  ohist->add_flag("--json", o->json, "Print {\"account\", \"changes\": […]}");
  OnRun(ohist, env, o, OwnershipHist);

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
}

}  // namespace cx
