// Go-live kit commands: golive guide|plan, discovery list|answer|add, hub-feedback add|list.
#include <cstdio>
#include <fstream>
#include <memory>

#include "cli/cli_common.h"
#include "render/golive_guide.h"
#include "service/config_service.h"
#include "service/golive_service.h"

namespace cx {
namespace {

struct GoLiveOpts {
  std::string role, out, id, answer, owner, section, question, status, note, comment, from, to;
  bool has_answer = false, has_owner = false, has_note = false;
  bool json = false, force = false, open_only = false;
  int number = 0;
  double score = 0;
  int limit = 100;
};

nlohmann::json OptText(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

int GuideCmd(CliEnv& env, const GoLiveOpts& o) {
  return WithHub(env, [&](Context&) {
    auto config = ActiveConfig();
    if (!config.ok()) return Fail(config.status());
    auto html = RenderGoLiveGuide(o.role, (*config)->journeys);
    if (!html.ok()) return Fail(html.status());
    Status st = WriteOutput(env, o.out, FileKind::kText, o.force, [&](const std::string& tmp) {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f << *html;
      f.close();
      return f ? Status::Ok() : Internal("cannot write " + o.out);
    });
    if (!st.ok()) return Fail(st);
    std::printf("guide for %s written to %s\n", o.role.c_str(), o.out.c_str());
    return 0;
  });
}

nlohmann::json TaskJson(const PlanTask& t, const Zone& zone) {
  return {{"number", t.number},
          {"phase", t.phase},
          {"task", t.task},
          {"deliverables", t.deliverables},
          {"timeline", t.timeline},
          {"status", t.status},
          {"note", t.note},
          {"updated_at", t.updated_at ? nlohmann::json(FormatTime(*t.updated_at, zone))
                                      : nlohmann::json(nullptr)},
          {"updated_by", OptText(t.updated_by)}};
}

int PlanCmd(CliEnv& env, const GoLiveOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto tasks = ListPlan(ctx);
    if (!tasks.ok()) return Fail(tasks.status());
    if (o.json) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& t : *tasks) a.push_back(TaskJson(t, ctx.zone));
      PrintJson({{"tasks", a}});
      return 0;
    }
    std::string phase;
    for (const auto& t : *tasks) {
      if (t.phase != phase) std::printf("%s%s\n", phase.empty() ? "" : "\n", t.phase.c_str());
      phase = t.phase;
      std::printf("  %2d. %-34s [%s]  %s\n      deliverables: %s\n", t.number, t.task.c_str(),
                  t.status.c_str(), t.timeline.c_str(), t.deliverables.c_str());
      if (!t.note.empty()) std::printf("      note: %s\n", t.note.c_str());
    }
    return 0;
  });
}

int PlanSetCmd(CliEnv& env, const GoLiveOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    std::optional<std::string> status, note;
    if (!o.status.empty()) status = o.status;
    if (o.has_note) note = o.note;
    auto t = SetPlanTask(ctx, o.number, status, note);
    if (!t.ok()) return Fail(t.status());
    std::printf("task %d (%s): %s\n", t->number, t->task.c_str(), t->status.c_str());
    return 0;
  });
}

nlohmann::json QuestionJson(const DiscoveryQuestion& q, const Zone& zone) {
  return {{"id", q.id},
          {"section", q.section},
          {"question", q.question},
          {"owner", OptText(q.owner)},
          {"answer", OptText(q.answer)},
          {"answered_at", q.answered_at ? nlohmann::json(FormatTime(*q.answered_at, zone))
                                        : nlohmann::json(nullptr)},
          {"answered_by", OptText(q.answered_by)},
          {"status", q.answered() ? "answered" : "open"}};
}

int DiscoveryListCmd(CliEnv& env, const GoLiveOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto qs = ListDiscovery(ctx);
    if (!qs.ok()) return Fail(qs.status());
    int open = 0;
    for (const auto& q : *qs) open += !q.answered();
    if (o.json) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& q : *qs) {
        if (!o.open_only || !q.answered()) a.push_back(QuestionJson(q, ctx.zone));
      }
      PrintJson({{"open", open}, {"answered", int(qs->size()) - open}, {"questions", a}});
      return 0;
    }
    std::string section;
    for (const auto& q : *qs) {
      if (o.open_only && q.answered()) continue;
      if (q.section != section)
        std::printf("%s%s\n", section.empty() ? "" : "\n", q.section.c_str());
      section = q.section;
      std::printf("  %s [%s] %s\n", q.id.c_str(), q.answered() ? "answered" : "open",
                  q.question.c_str());
      if (!q.owner.empty()) std::printf("       owner: %s\n", q.owner.c_str());
      if (q.answered()) {
        std::printf("       answer (%s, %s): %s\n", q.answered_by.c_str(),
                    FormatTime(*q.answered_at, ctx.zone).substr(0, 10).c_str(), q.answer.c_str());
      }
    }
    std::printf("\n%d open, %d answered\n", open, int(qs->size()) - open);
    return 0;
  });
}

int DiscoveryAnswerCmd(CliEnv& env, const GoLiveOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    DiscoveryChange c;
    if (o.has_answer) c.answer = o.answer;
    if (o.has_owner) c.owner = o.owner;
    auto q = AnswerDiscovery(ctx, o.id, c);
    if (!q.ok()) return Fail(q.status());
    std::printf("%s: %s\n", q->id.c_str(), q->answered() ? "answered" : "open");
    return 0;
  });
}

int DiscoveryAddCmd(CliEnv& env, const GoLiveOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto q = AddDiscovery(ctx, o.section, o.question, o.owner);
    if (!q.ok()) return Fail(q.status());
    std::printf("%s added\n", q->id.c_str());
    return 0;
  });
}

int HubFeedbackAddCmd(CliEnv& env, const GoLiveOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto h = AddHubFeedback(ctx, o.score, o.comment);
    if (!h.ok()) return Fail(h.status());
    if (o.json) {
      PrintJson({{"id", h->feedback.id}});
      return 0;
    }
    std::printf("%s: thank you\n", h->feedback.id.c_str());
    return 0;
  });
}

int HubFeedbackListCmd(CliEnv& env, const GoLiveOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    Timestamp from = 0, to = ctx.now() + 1;
    if (!o.from.empty()) {
      auto d = ParseDate(o.from);
      if (!d.ok()) return Fail(Invalid("--from: " + d.status().message()));
      from = ctx.zone.ToUtc(*d, 0);
    }
    if (!o.to.empty()) {
      auto d = ParseDate(o.to);
      if (!d.ok()) return Fail(Invalid("--to: " + d.status().message()));
      to = ctx.zone.ToUtc(CivilFromDays(DaysFromCivil(*d) + 1), 0);
    }
    auto list = ListHubFeedback(ctx, from, to, o.limit);
    if (!list.ok()) return Fail(list.status());
    if (o.json) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& h : *list) {
        a.push_back({{"id", h.feedback.id},
                     {"date", FormatTime(h.feedback.date, ctx.zone)},
                     {"given_by", h.given_by},
                     {"division", OptText(h.feedback.division)},
                     {"score", h.feedback.score},
                     {"comment", h.feedback.comment}});
      }
      PrintJson({{"feedback", a}});
      return 0;
    }
    for (const auto& h : *list) {
      std::printf("%s %s %s (%g/5): %s\n", h.feedback.id.c_str(),
                  FormatTime(h.feedback.date, ctx.zone).substr(0, 10).c_str(), h.given_by.c_str(),
                  h.feedback.score, h.feedback.comment.c_str());
    }
    return 0;
  });
}

}  // namespace

void RegisterGoLiveCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<GoLiveOpts>();
  auto* golive = app.add_subcommand("golive", "The go-live kit: one-page guides and the plan");
  golive->require_subcommand(1);
  auto* guide = golive->add_subcommand(
      "guide", "Write a printable one-page guide for a role from the hub's configuration");
  guide->add_option("--role", o->role, "sales, service, steward or manager")->required();
  guide->add_option("--out", o->out, "The HTML file to write (whole or not at all)")->required();
  guide->add_flag("--force", o->force, "Replace an existing file of another kind");
  guide->callback([&env, o] { env.action = [&env, o] { return GuideCmd(env, *o); }; });
  auto* plan = golive->add_subcommand(
      "plan", "The phased plan's tasks (Phases 0-3) with status and deliverables");
  plan->add_flag("--json", o->json,
                 "Print {\"tasks\": [{number, phase, task, deliverables, timeline, status, note, "
                 "updated_at, updated_by}…]}");
  auto* pset = plan->add_subcommand(
      "set", "Mark a task (a steward, manager or admin): golive plan set N --status done");
  pset->add_option("N", o->number, "The task number")->required();
  pset->add_option("--status", o->status, "not-started, in-progress or done");
  pset->add_option("--note", o->note, "A note (replaces the previous one)")
      ->each([o](const std::string&) { o->has_note = true; });
  pset->callback([&env, o] { env.action = [&env, o] { return PlanSetCmd(env, *o); }; });
  plan->callback([&env, o, plan] {
    if (plan->get_subcommands().empty()) env.action = [&env, o] { return PlanCmd(env, *o); };
  });

  auto* disc = app.add_subcommand(
      "discovery", "The discovery questionnaire: questions, owners, answers (open/answered)");
  disc->require_subcommand(1);
  auto* dlist = disc->add_subcommand("list", "Every question with its owner and answer");
  dlist->add_flag("--open", o->open_only, "Only the questions without an answer");
  dlist->add_flag("--json", o->json,
                  "Print {open, answered, questions: [{id, section, question, owner, answer, "
                  "answered_at, answered_by, status}…]}");
  dlist->callback([&env, o] { env.action = [&env, o] { return DiscoveryListCmd(env, *o); }; });
  auto* dans = disc->add_subcommand(
      "answer",
      "Record an answer and/or owner (a steward, manager or admin); --answer \"\" reopens");
  dans->add_option("ID", o->id, "The question, e.g. D-01")->required();
  dans->add_option("--answer", o->answer, "The answer")->each([o](const std::string&) {
    o->has_answer = true;
  });
  dans->add_option("--owner", o->owner, "Who answers it (login or full name)")
      ->each([o](const std::string&) { o->has_owner = true; });
  dans->callback([&env, o] { env.action = [&env, o] { return DiscoveryAnswerCmd(env, *o); }; });
  auto* dadd = disc->add_subcommand("add", "Add a question (a steward, manager or admin)");
  dadd->add_option("--section", o->section, "Its section, e.g. Motors")->required();
  dadd->add_option("--question", o->question, "The question")->required();
  dadd->add_option("--owner", o->owner, "Who answers it");
  dadd->callback([&env, o] { env.action = [&env, o] { return DiscoveryAddCmd(env, *o); }; });

  auto* hub =
      app.add_subcommand("hub-feedback", "Staff feedback on the hub itself (feedback of kind hub)");
  hub->require_subcommand(1);
  auto* hadd = hub->add_subcommand("add", "Say what works or gets in the way (--as LOGIN)");
  hadd->add_option("--score", o->score, "1 (gets in my way) to 5 (helps me a lot)")->required();
  hadd->add_option("--comment", o->comment, "What works, what does not")->required();
  hadd->add_flag("--json", o->json, "Print {id}");
  hadd->callback([&env, o] { env.action = [&env, o] { return HubFeedbackAddCmd(env, *o); }; });
  auto* hlist = hub->add_subcommand("list", "Feedback on the hub, newest first");
  hlist->add_option("--from", o->from, "First day (default: all)");
  hlist->add_option("--to", o->to, "Last day, included (default: today)");
  hlist->add_option("--limit", o->limit, "At most this many (default 100)");
  hlist->add_flag("--json", o->json,
                  "Print {\"feedback\": [{id, date, given_by, division, score, comment}…]}");
  hlist->callback([&env, o] { env.action = [&env, o] { return HubFeedbackListCmd(env, *o); }; });
}

}  // namespace cx
