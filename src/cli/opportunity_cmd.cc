// Opportunity and ownership commands: an opportunity through its journey (add, move, check, win,
// lose, show, route) and the Account Owner's changes. Thin: parse → one service call → print.
#include <cstdio>

#include "cli/journey_cli.h"
#include "render/json_out.h"
#include "render/record_json.h"
#include "service/next_action_service.h"
#include "service/opportunity_service.h"

namespace cx::journey_cli {
namespace {

void PrintOpportunity(const Opportunity& o, const Zone& z) {
  std::printf("%s  %s  %s  stage %s  %s  owner %s  created %s\n", o.id.c_str(), o.division.c_str(),
              o.account_id.c_str(), o.stage.c_str(), o.outcome.c_str(),
              o.owner.empty() ? "(none)" : o.owner.c_str(), FormatTime(o.created, z).c_str());
}

int PrintMove(const Context& ctx, const JOpts& o, const MoveResult& r) {
  if (o.json) {
    PrintJson(MoveJson(r, ctx.zone));
    return 0;
  }
  PrintOpportunity(r.opportunity, ctx.zone);
  for (const auto& m : r.overridden) std::printf("  overridden: %s\n", m.c_str());
  for (const auto& n : r.next_actions) std::printf("  next action %s created\n", n.c_str());
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
      PrintJson(AddOpportunityJson(*r, ctx.zone));
      return 0;
    }
    std::printf("opportunity %s created at %s\n", r->opportunity.id.c_str(),
                r->opportunity.stage.c_str());
    if (r->routing) {
      const RoutingDecision& d = *r->routing;
      std::string by = d.rule.empty() ? d.why : "rule '" + d.rule + "': " + d.why;
      std::printf("  routed to %s (%s)\n", d.owner.empty() ? "nobody" : d.owner.c_str(),
                  by.c_str());
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
    std::printf("%zu checklist item(s) recorded for %s\n", o.items.size(), o.id.c_str());
    return 0;
  });
}

int OppRoute(CliEnv& env, JOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto r = RouteOpportunity(ctx, o.id);
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson(RoutingJson(*r));
    else
      std::printf("%s → %s (%s)\n", o.id.c_str(), r->owner.empty() ? "nobody" : r->owner.c_str(),
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
      PrintJson(OpportunityViewJson(*v, z));
      return 0;
    }
    PrintOpportunity(v->opportunity, z);
    if (!v->opportunity.title.empty()) std::printf("  title: %s\n", v->opportunity.title.c_str());
    if (!v->opportunity.lost_reason.empty())
      std::printf("  lost: %s\n", v->opportunity.lost_reason.c_str());
    std::printf("stage history:\n");
    for (const auto& e : v->history) {
      std::printf("  %s  %-14s %s\n", FormatTime(e.entered, z).c_str(), e.stage.c_str(),
                  e.by.c_str());
    }
    std::printf("checklists:\n");
    for (const auto& c : v->checklist) {
      std::printf("  [%s] %-16s %s%s\n", c.done ? "x" : " ", c.checklist.c_str(),
                  c.item.label.c_str(), c.item.required ? "" : " (optional)");
    }
    std::printf("next actions:\n");
    for (const auto& a : v->next_actions) {
      std::printf("  %s  %s  due %s  %s%s\n", JourneyActionId(a.seq).c_str(), a.action.c_str(),
                  a.due ? FormatTime(*a.due, z).c_str() : "-", a.owner.c_str(),
                  a.done ? "  (done)" : "");
    }
    std::printf("interactions (%zu)\n", v->interactions.size());
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
      std::printf("account %s is now owned by %s\n", r->id.c_str(), r->owner.c_str());
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
    if (r->empty()) std::printf("no ownership changes for %s\n", o.id.c_str());
    for (const auto& e : *r) {
      std::printf("%s  %s → %s  by %s  (%s)\n", FormatTime(e.at, ctx.zone).c_str(),
                  e.before.empty() ? "(none)" : e.before.c_str(), e.after.c_str(), e.actor.c_str(),
                  e.reason.c_str());
    }
    return 0;
  });
}

}  // namespace

void RegisterOpportunityCommands(CLI::App& app, CliEnv& env, const std::shared_ptr<JOpts>& o) {
  const std::string date_help = kDateHelp;
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
}

void RegisterOwnershipCommands(CLI::App& app, CliEnv& env, const std::shared_ptr<JOpts>& o) {
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
}

}  // namespace cx::journey_cli
