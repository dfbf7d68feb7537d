// Case commands: open a case, move it through its steps, show it with its interactions. Thin:
// parse → one service call → print.
#include <cstdio>

#include "cli/journey_cli.h"
#include "render/json_out.h"
#include "render/record_json.h"
#include "service/case_service.h"

namespace cx::journey_cli {
namespace {

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
      std::printf("case %s opened (%s, %s)\n", r->id.c_str(), r->kind.c_str(), r->division.c_str());
    return 0;
  });
}

void PrintCase(const Case& c, const Zone& z) {
  auto t = [&](const std::optional<Timestamp>& v) {
    return v ? FormatTime(*v, z) : std::string("-");
  };
  std::printf("%s  %s  %s  %s  owner %s\n", c.id.c_str(), c.kind.c_str(), c.division.c_str(),
              c.account_id.c_str(), c.owner.c_str());
  std::printf("  opened %s  first response %s  resolution confirmed %s  closed %s\n",
              FormatTime(c.opened, z).c_str(), t(c.first_response).c_str(),
              t(c.resolution_confirmed).c_str(), t(c.closed).c_str());
  if (c.kind == "service-job") {
    std::printf("  quote approved %s  work started %s\n", t(c.quote_approved).c_str(),
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
      PrintJson(CaseViewJson(*v, ctx.zone));
      return 0;
    }
    PrintCase(v->kase, ctx.zone);
    std::printf("interactions (%zu)\n", v->interactions.size());
    return 0;
  });
}

}  // namespace

void RegisterCaseCommands(CLI::App& app, CliEnv& env, const std::shared_ptr<JOpts>& o) {
  const std::string date_help = kDateHelp;
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
}

}  // namespace cx::journey_cli
