// Feedback and touchpoint commands: touchpoint add|edit|list, touchpoints (the ranking),
// feedback add|import|curve|scores, survey link, contact edit --newsletter (docs/feedback.md).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "base/text.h"
#include "cli/cli_common.h"
#include "io/erp/erp_mapping.h"
#include "render/feedback_json.h"
#include "service/feedback_report.h"
#include "service/feedback_service.h"
#include "service/survey_service.h"
#include "service/touchpoint_service.h"

namespace cx {
namespace {

struct FbOpts {
  bool json = false, partial = false, dry_run = false, force = false;
  std::string id, name, division, stage, channel, owner, budget;
  std::string from, to, by = "division";
  std::string kind, score, contact, account, touchpoint, platform, comment, date, source;
  std::string file, map_file, base_url, newsletter;
  // Which of the edit options were given.
  CLI::Option *o_name = nullptr, *o_division = nullptr, *o_stage = nullptr, *o_channel = nullptr,
              *o_owner = nullptr, *o_budget = nullptr;
};

template <typename F>
void OnRun(CLI::App* cmd, CliEnv& env, std::shared_ptr<FbOpts> o, F f) {
  cmd->callback([&env, o, f] { env.action = [&env, o, f] { return f(env, *o); }; });
}

std::string Show(const std::optional<double>& v, const char* fmt) {
  if (!v) return "—";
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, *v);
  return buf;
}

Result<double> Budget(const std::string& text) {
  auto v = ParseErpAmount(Trim(text), false);
  if (!v.ok() || *v < 0) return Invalid("--budget: '" + text + "' is not an amount of naira");
  return *v;
}

void PrintTouchpoint(const Touchpoint& t) {
  std::printf("%s  %s  (%s%s%s)  channel: %s  owner: %s  budget: ₦%.0f/year\n", t.id.c_str(),
              t.name.c_str(), t.division.c_str(), t.stage.empty() ? "" : ", ", t.stage.c_str(),
              t.channel.empty() ? "—" : t.channel.c_str(), t.owner.empty() ? "—" : t.owner.c_str(),
              t.yearly_budget);
}

int TouchpointAdd(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    Touchpoint t;
    t.id = o.id;
    t.name = o.name;
    t.division = o.division;
    t.stage = o.stage;
    t.channel = o.channel;
    t.owner = o.owner;
    if (!o.budget.empty()) {
      auto b = Budget(o.budget);
      if (!b.ok()) return Fail(b.status());
      t.yearly_budget = *b;
    }
    auto r = AddTouchpoint(ctx, t);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      PrintJson(ToJson(*r));
    } else {
      std::printf("touchpoint %s created: ", r->id.c_str());
      PrintTouchpoint(*r);
    }
    return 0;
  });
}

int TouchpointEditCmd(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    TouchpointEdit e;
    if (o.o_name->count()) e.name = o.name;
    if (o.o_division->count()) e.division = o.division;
    if (o.o_stage->count()) e.stage = o.stage;
    if (o.o_channel->count()) e.channel = o.channel;
    if (o.o_owner->count()) e.owner = o.owner;
    if (o.o_budget->count()) {
      auto b = Budget(o.budget);
      if (!b.ok()) return Fail(b.status());
      e.yearly_budget = *b;
    }
    auto r = EditTouchpoint(ctx, o.id, e);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      PrintJson(ToJson(*r));
    } else {
      PrintTouchpoint(*r);
    }
    return 0;
  });
}

int TouchpointList(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto r = ListTouchpoints(ctx, o.division);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& t : *r) arr.push_back(ToJson(t));
      PrintJson({{"touchpoints", arr}});
      return 0;
    }
    if (r->empty()) std::printf("no touchpoints yet (cxhub touchpoint add)\n");
    for (const auto& t : *r) PrintTouchpoint(t);
    return 0;
  });
}

int Ranking(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    if (o.json) {  // the document GET /api/v1/touchpoints answers too
      auto doc = TouchpointsReport(ctx, TouchpointsReportOptions{o.from, o.to, o.division, "--"});
      if (!doc.ok()) return Fail(doc.status());
      PrintJson(*doc);
      return 0;
    }
    auto p = PeriodFromOptions(ctx, o.from, o.to);
    if (!p.ok()) return Fail(p.status());
    auto r = ComputeTouchpointRanking(ctx, *p, o.division);
    if (!r.ok()) return Fail(r.status());
    std::printf("Touchpoints %s … %s, best value per naira first\n", FormatDate(p->from).c_str(),
                FormatDate(p->to).c_str());
    if (r->touchpoints.empty()) std::printf("  no touchpoints yet (cxhub touchpoint add)\n");
    for (const auto& t : r->touchpoints) {
      std::printf(
          "  %-10s %-11s %-30s budget ₦%.0f  responses %lld  NPS %s  emotion %s  "
          "leads %lld  won %lld (₦%.0f)  per naira %s  per lead %s\n",
          t.verdict.empty() ? "" : t.verdict.c_str(), t.id.c_str(), t.name.c_str(), t.budget,
          static_cast<long long>(t.responses), Show(t.nps, "%+.0f").c_str(),
          Show(t.mean_emotion, "%+.2f").c_str(), static_cast<long long>(t.leads),
          static_cast<long long>(t.won), t.won_amount, Show(t.won_amount_per_naira, "%.2f").c_str(),
          Show(t.cost_per_lead, "₦%.0f").c_str());
    }
    return 0;
  });
}

int FeedbackAddCmd(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    Feedback f;
    f.kind = o.kind;
    f.contact_id = o.contact;
    f.account_id = o.account;
    f.touchpoint = o.touchpoint;
    f.stage = o.stage;
    f.division = o.division;
    f.platform = o.platform;
    f.comment = o.comment;
    f.source = o.source;
    char* end = nullptr;
    const std::string s = Trim(o.score);
    f.score = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size())
      return Fail(Invalid("--score: '" + o.score + "' is not a number"));
    if (!o.date.empty()) {
      auto t = ParseTimeOption(ctx, "--date", o.date);
      if (!t.ok()) return Fail(t.status());
      f.date = *t;
    }
    auto r = AddFeedback(ctx, f);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      PrintJson(ToJson(*r, ctx.zone));
    } else {
      std::printf("feedback %s recorded: %s %g%s%s\n", r->id.c_str(), r->kind.c_str(), r->score,
                  r->touchpoint.empty() ? "" : " at ", r->touchpoint.c_str());
    }
    return 0;
  });
}

int FeedbackImportCmd(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    FeedbackImportOptions opt{o.file, o.map_file, o.partial, o.dry_run, o.force};
    FeedbackImportSummary s;
    Status st = ImportFeedback(ctx, opt, &s);
    if (!st.ok()) return Fail(st);
    if (o.json) {
      nlohmann::json rej = nlohmann::json::array();
      for (const auto& r : s.rejected) rej.push_back({{"line", r.line}, {"reason", r.reason}});
      PrintJson({{"file", s.file},
                 {"encoding", s.encoding},
                 {"rows", s.rows},
                 {"created", s.created},
                 {"unchanged", s.unchanged},
                 {"rejected", rej},
                 {"rejected_file", s.rejected_file.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(s.rejected_file)},
                 {"removed_rejected_file", s.removed_rejected_file.empty()
                                               ? nlohmann::json(nullptr)
                                               : nlohmann::json(s.removed_rejected_file)},
                 {"warnings", s.warnings},
                 {"dry_run", o.dry_run}});
      for (const auto& w : s.warnings) std::fprintf(stderr, "cxhub: warning: %s\n", w.c_str());
      return 0;
    }
    std::printf("%s%s (%s): %lld rows, %lld created, %lld unchanged, %zu rejected\n",
                o.dry_run ? "dry run — nothing written: " : "", s.file.c_str(), s.encoding.c_str(),
                static_cast<long long>(s.rows), static_cast<long long>(s.created),
                static_cast<long long>(s.unchanged), s.rejected.size());
    for (const auto& r : s.rejected)
      std::printf("  line %lld: %s\n", static_cast<long long>(r.line), r.reason.c_str());
    if (!s.rejected_file.empty()) std::printf("rejected rows: %s\n", s.rejected_file.c_str());
    if (!s.removed_rejected_file.empty()) {
      std::printf("removed %s of an earlier run (this run rejected nothing)\n",
                  s.removed_rejected_file.c_str());
    }
    for (const auto& w : s.warnings) std::fprintf(stderr, "cxhub: warning: %s\n", w.c_str());
    return 0;
  });
}

int CurveCmd(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    if (o.json) {  // the document GET /api/v1/feedback/curve answers too
      auto doc = CurveReport(ctx, CurveReportOptions{o.division, o.from, o.to, "--"});
      if (!doc.ok()) return Fail(doc.status());
      PrintJson(*doc);
      return 0;
    }
    auto p = PeriodFromOptions(ctx, o.from, o.to);
    if (!p.ok()) return Fail(p.status());
    auto c = ComputeEmotionCurve(ctx, o.division, *p);
    if (!c.ok()) return Fail(c.status());
    std::printf("Emotion curve of %s, %s … %s (−2 … +2)\n", c->division.c_str(),
                FormatDate(p->from).c_str(), FormatDate(p->to).c_str());
    for (const auto& s : c->stages) {
      std::string bar;
      if (s.mean) {
        const int n = int(std::lround((*s.mean + 2) * 5));
        for (int i = 0; i < n; ++i) bar += "#";
      }
      std::printf("  %-14s %6s  n=%-5lld %s\n", s.stage.c_str(), Show(s.mean, "%+.2f").c_str(),
                  static_cast<long long>(s.n), bar.c_str());
    }
    return 0;
  });
}

int ScoresCmd(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    if (o.json) {  // the document GET /api/v1/feedback/scores answers too
      auto doc = ScoresReport(ctx, ScoresReportOptions{o.by, o.division, o.from, o.to, "--"});
      if (!doc.ok()) return Fail(doc.status());
      PrintJson(*doc);
      return 0;
    }
    FeedbackGroup by;
    if (o.by == "division") {
      by = FeedbackGroup::kDivision;
    } else if (o.by == "touchpoint") {
      by = FeedbackGroup::kTouchpoint;
    } else if (o.by == "stage") {
      by = FeedbackGroup::kStage;
    } else {
      return Fail(Invalid("--by: '" + o.by + "' is not one of division, touchpoint, stage"));
    }
    auto p = PeriodFromOptions(ctx, o.from, o.to);
    if (!p.ok()) return Fail(p.status());
    auto r = ComputeFeedbackScores(ctx, *p, by, o.division);
    if (!r.ok()) return Fail(r.status());
    std::printf("NPS and CSAT by %s, %s … %s\n", o.by.c_str(), FormatDate(p->from).c_str(),
                FormatDate(p->to).c_str());
    if (r->groups.empty()) std::printf("  no NPS or CSAT scores in the period\n");
    for (const auto& g : r->groups) {
      std::string key = g.key.empty() ? "(none)" : g.key;
      if (by == FeedbackGroup::kStage) key = g.division + " / " + key;
      std::printf(
          "  %-32s NPS %6s (n=%lld)  CSAT %6s (n=%lld)\n", key.c_str(),
          Show(g.nps, "%+.1f").c_str(), static_cast<long long>(g.nps_n),
          Show(g.csat ? std::optional<double>(*g.csat * 100) : std::nullopt, "%.0f%%").c_str(),
          static_cast<long long>(g.csat_n));
    }
    return 0;
  });
}

int SurveyLinkCmd(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    std::string base = o.base_url;
    if (base.empty()) {
      const char* e = std::getenv("CXHUB_PUBLIC_URL");
      base = e && *e ? e : "http://127.0.0.1:8080";
    }
    auto r = CreateSurveyLink(
        ctx, SurveyLinkRequest{o.touchpoint, o.contact, o.kind.empty() ? "nps" : o.kind, base});
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      PrintJson(ToJson(*r, ctx.zone));
      return 0;
    }
    std::printf("%s\n", r->url.c_str());
    std::fprintf(stderr, "single use, valid until %s\n",
                 FormatTime(r->expires_at, ctx.zone).c_str());
    return 0;
  });
}

int ContactEditCmd(CliEnv& env, FbOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    Status st = SetNewsletter(ctx, o.id, o.newsletter);
    if (!st.ok()) return Fail(st);
    auto d = NewsletterDate(o.newsletter);
    if (o.json) {
      PrintJson({{"id", o.id},
                 {"newsletter", d->empty() ? nlohmann::json(nullptr) : nlohmann::json(*d)}});
    } else {
      std::printf("contact %s: newsletter %s\n", o.id.c_str(),
                  d->empty() ? "cleared" : ("since " + *d).c_str());
    }
    return 0;
  });
}

}  // namespace

void RegisterFeedbackCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<FbOpts>();
  const std::string period_from = "First day of the period (default: start of the quarter)";
  const std::string period_to = "Last day of the period, included (default: end of the quarter)";

  auto* tp = app.add_subcommand("touchpoint", "Touchpoints: where customers meet the company");
  tp->require_subcommand(1);
  auto* tadd = tp->add_subcommand("add", "Add a touchpoint (a manager or admin)");
  tadd->add_option("--id", o->id, "Touchpoint ID (default: the next T-NNNNNN)");
  tadd->add_option("--name", o->name, "Name, e.g. \"Showroom visit\"")->required();
  tadd->add_option("--division", o->division, "Division, or All")->required();
  tadd->add_option("--stage", o->stage, "Journey stage of that division");
  tadd->add_option("--channel", o->channel, "Channel, e.g. showroom, WhatsApp, trade fair");
  tadd->add_option("--owner", o->owner, "Owner (a user's login or name)");
  tadd->add_option("--budget", o->budget, "Yearly budget in naira");
  tadd->add_flag("--json", o->json, "Print the touchpoint as JSON");
  OnRun(tadd, env, o, TouchpointAdd);
  auto* tedit = tp->add_subcommand("edit", "Change a touchpoint (a manager or admin)");
  tedit->add_option("id", o->id, "Touchpoint ID")->required();
  o->o_name = tedit->add_option("--name", o->name, "Name");
  o->o_division = tedit->add_option("--division", o->division, "Division, or All");
  o->o_stage = tedit->add_option("--stage", o->stage, "Journey stage (\"\" clears it)");
  o->o_channel = tedit->add_option("--channel", o->channel, "Channel");
  o->o_owner = tedit->add_option("--owner", o->owner, "Owner");
  o->o_budget = tedit->add_option("--budget", o->budget, "Yearly budget in naira");
  tedit->add_flag("--json", o->json, "Print the touchpoint as JSON");
  OnRun(tedit, env, o, TouchpointEditCmd);
  auto* tlist = tp->add_subcommand("list", "List touchpoints");
  tlist->add_option("--division", o->division, "Only this division's (and the company-wide ones)");
  tlist->add_flag("--json", o->json, "Print {\"touchpoints\": […]}");
  OnRun(tlist, env, o, TouchpointList);

  auto* rank = app.add_subcommand(
      "touchpoints", "Touchpoints ranked by won amount per naira of budget, with verdicts");
  rank->add_option("--from", o->from, period_from);
  rank->add_option("--to", o->to, period_to);
  rank->add_option("--division", o->division, "Only this division's touchpoints");
  rank->add_flag("--json", o->json, "Print {\"from\", \"to\", \"touchpoints\": […]}");
  OnRun(rank, env, o, Ranking);

  auto* fb = app.add_subcommand("feedback", "Customer feedback: NPS, CSAT, reviews, emotions");
  fb->require_subcommand(1);
  auto* fadd = fb->add_subcommand("add", "Record one piece of feedback");
  fadd->add_option("--kind", o->kind, "nps (0–10), csat (1–5), review (1–5), emotion (−2…+2)")
      ->required();
  fadd->add_option("--score", o->score, "The score")->required();
  fadd->add_option("--contact", o->contact, "Contact ID");
  fadd->add_option("--account", o->account, "Account ID (default: the contact's)");
  fadd->add_option("--touchpoint", o->touchpoint, "Touchpoint ID");
  fadd->add_option("--stage", o->stage, "Journey stage (default: the touchpoint's)");
  fadd->add_option("--division", o->division, "Division (default: the touchpoint's)");
  fadd->add_option("--platform", o->platform, "Review platform (required for a review)");
  fadd->add_option("--comment", o->comment, "What the customer said");
  fadd->add_option("--date", o->date, "When (default now)");
  fadd->add_option("--source", o->source, "survey, form, import or staff (default staff)");
  fadd->add_flag("--json", o->json, "Print the feedback as JSON");
  OnRun(fadd, env, o, FeedbackAddCmd);
  auto* fimp = fb->add_subcommand("import", "Import survey results (CSV or .xlsx)");
  fimp->add_option("file", o->file, "The export")->required();
  fimp->add_option("--map", o->map_file, "TOML naming the export's columns (docs/feedback.md)");
  fimp->add_flag("--partial", o->partial,
                 "Import the good rows; write the bad ones to FILE.rejected.csv");
  fimp->add_flag("--dry-run", o->dry_run, "Check everything, write nothing");
  fimp->add_flag("--force", o->force,
                 "Replace or remove a FILE.rejected.csv that cxhub did not write");
  fimp->add_flag("--json", o->json, "Print a summary as JSON");
  OnRun(fimp, env, o, FeedbackImportCmd);
  auto* fcurve = fb->add_subcommand("curve", "The emotion curve of a division's journey");
  fcurve->add_option("--division", o->division, "Division")->required();
  fcurve->add_option("--from", o->from, period_from);
  fcurve->add_option("--to", o->to, period_to);
  fcurve->add_flag("--json", o->json, "Print {\"division\", \"stages\": […]}");
  OnRun(fcurve, env, o, CurveCmd);
  auto* fscores = fb->add_subcommand("scores", "NPS and CSAT by division, touchpoint or stage");
  fscores->add_option("--by", o->by, "division (default), touchpoint or stage");
  fscores->add_option("--division", o->division, "Only this division");
  fscores->add_option("--from", o->from, period_from);
  fscores->add_option("--to", o->to, period_to);
  fscores->add_flag("--json", o->json, "Print as JSON");
  OnRun(fscores, env, o, ScoresCmd);

  auto* survey = app.add_subcommand("survey", "Survey links to send customers");
  survey->require_subcommand(1);
  auto* slink = survey->add_subcommand(
      "link", "Print a signed, single-use survey link (valid 30 days) for WhatsApp or SMS");
  slink->add_option("--touchpoint", o->touchpoint, "Touchpoint ID")->required();
  slink->add_option("--contact", o->contact, "Contact ID");
  slink->add_option("--kind", o->kind, "nps (default), csat or emotion");
  slink->add_option("--base-url", o->base_url,
                    "Where customers reach the hub (default $CXHUB_PUBLIC_URL or "
                    "http://127.0.0.1:8080)");
  slink->add_flag("--json", o->json, "Print as JSON");
  OnRun(slink, env, o, SurveyLinkCmd);

  // `contact edit` joins the contact commands of core_cmd.
  CLI::App* contact = nullptr;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == "contact") contact = sub;
  if (contact) {
    auto* cedit = contact->add_subcommand("edit", "Change a contact's newsletter subscription");
    cedit->add_option("id", o->id, "Contact ID")->required();
    cedit
        ->add_option("--newsletter", o->newsletter,
                     "Newsletter subscription date (YYYY-MM-DD; \"\" clears it)")
        ->required();
    cedit->add_flag("--json", o->json, "Print as JSON");
    OnRun(cedit, env, o, ContactEditCmd);
  }
}

}  // namespace cx
