// Customer strategy commands: strategy show|set|export|history and the seven steps (cem).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>

#include "cli/cli_common.h"
#include "render/strategy_json.h"
#include "render/strategy_page.h"
#include "service/cem_service.h"
#include "service/strategy_service.h"

namespace cx {
namespace {

struct StrategyOpts {
  int64_t version = 0;
  std::string file, format, out;
  bool json = false, force = false;
  // cem
  int year = 0, step = 0;
  std::string status, owner, note, started;
  bool has_owner = false, has_note = false;
};

void PrintHorizons(const char* label, const Horizons& h) {
  std::printf("  %s\n    1 year:  %s\n    3 years: %s\n    5 years: %s\n", label,
              h.year1.empty() ? "—" : h.year1.c_str(), h.year3.empty() ? "—" : h.year3.c_str(),
              h.year5.empty() ? "—" : h.year5.c_str());
}

int ShowCmd(CliEnv& env, const StrategyOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto page = ShowStrategy(ctx, o.version);
    if (!page.ok()) return Fail(page.status());
    if (o.json) {
      PrintJson(StrategyPageJson(*page, ctx.zone));
      return 0;
    }
    const Strategy& s = page->saved.strategy;
    std::printf("One Page Customer Strategy, version %lld (saved by %s, %s)\n\n",
                (long long)page->saved.version, page->saved_by_name.c_str(),
                FormatTime(page->saved.saved_at, ctx.zone).c_str());
    std::printf("Mission: %s\nVision: %s\nKey objectives:\n", s.mission.c_str(), s.vision.c_str());
    PrintHorizons("Expected growth", s.growth);
    PrintHorizons("New markets", s.new_markets);
    PrintHorizons("New customers", s.new_customers);
    std::printf("Customer ambition: %s\nObjectives:\n", s.ambition.c_str());
    for (size_t i = 0; i < s.objectives.size(); ++i) {
      const std::string label = std::to_string(i + 1) + ". " + s.objectives[i].title;
      PrintHorizons(label.c_str(), s.objectives[i].horizons);
    }
    std::printf("Key results (live for %s):\n", PeriodLabel(page->period).c_str());
    for (const auto& k : page->key_results) {
      const std::string target =
          k.target && k.direction
              ? std::string(DirectionSymbol(*k.direction)) + " " + FormatKpiValue(k.target, k.unit)
              : "—";
      std::printf(
          "  %s %s: %s (%s), now %s, target %s, due %s%s\n", !k.met ? "·" : (*k.met ? "✓" : "✗"),
          (k.kr.title.empty() ? k.kpi_name : k.kr.title).c_str(), k.kr.kpi.c_str(),
          k.kr.division.c_str(), FormatKpiValue(k.value, k.unit).c_str(), target.c_str(),
          FormatDate(k.kr.due).c_str(),
          !k.met ? (" — not known: " + k.note).c_str() : (*k.met ? " — met" : " — not met"));
    }
    std::printf("Communication plan: %s\nNotes: %s\n", s.communication.c_str(), s.notes.c_str());
    return 0;
  });
}

int SetCmd(CliEnv& env, const StrategyOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    std::ifstream f(o.file, std::ios::binary);
    if (!f) return Fail(Invalid("--file " + o.file + ": cannot be read"));
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto v = SetStrategy(ctx, text, o.file);
    if (!v.ok()) return Fail(v.status());
    if (o.json) {
      PrintJson(StrategySavedJson(*v, ctx.zone));
      return 0;
    }
    std::printf("strategy version %lld saved by %s\n", (long long)v->version, v->saved_by.c_str());
    return 0;
  });
}

int ExportCmd(CliEnv& env, const StrategyOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    std::string format = o.format;
    if (format.empty()) format = o.out.ends_with(".xlsx") ? "xlsx" : "html";
    if (format != "html" && format != "xlsx")
      return Fail(Invalid("--format: '" + format + "' is not html or xlsx"));
    const FileKind kind = format == "html" ? FileKind::kText : FileKind::kXlsx;
    CX_RETURN_IF_ERROR_CLI(CheckOutputPath(o.out, kind, env.Output(o.force)));
    auto page = ShowStrategy(ctx, o.version);
    if (!page.ok()) return Fail(page.status());
    Status st = WriteOutput(env, o.out, kind, o.force, [&](const std::string& tmp) {
      return format == "html" ? WriteStrategyHtml(*page, ctx.zone, tmp)
                              : WriteStrategyXlsx(*page, ctx.zone, tmp);
    });
    if (!st.ok()) return Fail(st);
    std::printf("strategy version %lld written to %s\n", (long long)page->saved.version,
                o.out.c_str());
    return 0;
  });
}

int HistoryCmd(CliEnv& env, const StrategyOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto versions = StrategyHistory(ctx);
    if (!versions.ok()) return Fail(versions.status());
    if (o.json) {
      PrintJson(StrategyHistoryJson(*versions, ctx.zone));
      return 0;
    }
    if (versions->empty()) std::printf("no strategy saved yet\n");
    for (const auto& v : *versions) {
      std::printf("v%-4lld %s  %s\n", (long long)v.version,
                  FormatTime(v.saved_at, ctx.zone).c_str(), v.saved_by.c_str());
    }
    return 0;
  });
}

int CemShowCmd(CliEnv& env, const StrategyOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto source = HubEvidenceSource();
    auto board = ShowCem(ctx, o.year ? o.year : CurrentYear(ctx), *source);
    if (!board.ok()) return Fail(board.status());
    if (o.json) {
      PrintJson(CemBoardJson(*board, ctx.zone));
      return 0;
    }
    std::printf("The seven steps of customer-experience management, %d\n\n", board->year);
    for (const auto& s : board->steps) {
      std::printf("%d. %s  [%s]%s%s\n", s.def.number, std::string(s.def.title).c_str(),
                  s.state.status.c_str(),
                  s.owner_name.empty() ? "" : "  owner: ", s.owner_name.c_str());
      if (!s.state.note.empty()) std::printf("   note: %s\n", s.state.note.c_str());
      std::printf("   evidence: %s\n", s.evidence.summary.c_str());
    }
    return 0;
  });
}

int CemSetCmd(CliEnv& env, const StrategyOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    CemChange c;
    if (!o.status.empty()) c.status = o.status;
    if (o.has_owner) c.owner = o.owner;
    if (o.has_note) c.note = o.note;
    if (!o.started.empty()) {
      auto d = ParseDate(o.started);
      if (!d.ok()) return Fail(Invalid("--started: " + d.status().message()));
      c.started = *d;
    }
    auto st = SetCemStep(ctx, o.year ? o.year : CurrentYear(ctx), o.step, c);
    if (!st.ok()) return Fail(st.status());
    std::printf("step %d of %d: %s\n", st->step, st->year, st->status.c_str());
    return 0;
  });
}

}  // namespace

void RegisterStrategyCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<StrategyOpts>();
  auto* strategy = app.add_subcommand(
      "strategy", "The one-page customer strategy: show, set (managers), export, history");
  strategy->require_subcommand(1);
  auto* show = strategy->add_subcommand(
      "show", "The strategy with its key results' live KPI values (this quarter)");
  show->add_option("--version", o->version, "An older version (default: the latest)");
  show->add_flag("--json", o->json,
                 "Print the strategy as JSON: mission, vision, key_objectives, ambition, "
                 "objectives, key_results [{title, kpi, division, target, direction, due, value, "
                 "met…}], communication, notes, version, saved_at, saved_by, period");
  show->callback([&env, o] { env.action = [&env, o] { return ShowCmd(env, *o); }; });
  auto* set = strategy->add_subcommand(
      "set", "Save a new version from a TOML file (a manager or admin: --as LOGIN)");
  set->add_option("--file", o->file, "The strategy file (docs/strategy.md shows its keys)")
      ->required();
  set->add_flag("--json", o->json, "Print {version, saved_at, saved_by}");
  set->callback([&env, o] { env.action = [&env, o] { return SetCmd(env, *o); }; });
  auto* exp = strategy->add_subcommand(
      "export",
      "Write the strategy as one printable A4 page (html) or the template's sheet (xlsx)");
  exp->add_option("--format", o->format, "html or xlsx (default: from the file name, else html)");
  exp->add_option("--out", o->out, "The file to write (whole or not at all)")->required();
  exp->add_option("--version", o->version, "An older version (default: the latest)");
  exp->add_flag("--force", o->force, "Replace an existing file of another kind");
  exp->callback([&env, o] { env.action = [&env, o] { return ExportCmd(env, *o); }; });
  auto* hist = strategy->add_subcommand("history", "Every saved version: who and when");
  hist->add_flag("--json", o->json, "Print {\"versions\": [{version, saved_at, saved_by}…]}");
  hist->callback([&env, o] { env.action = [&env, o] { return HistoryCmd(env, *o); }; });

  auto* cem = app.add_subcommand(
      "cem", "The seven steps of customer-experience management, a checklist per year");
  cem->require_subcommand(1);
  auto* cshow = cem->add_subcommand("show", "Each step's status, owner, notes and evidence");
  cshow->add_option("--year", o->year, "The year (default: this year)");
  cshow->add_flag("--json", o->json,
                  "Print {year, at, steps: [{step, title, what, status, owner, note, started, "
                  "evidence: {summary, data}}…]}");
  cshow->callback([&env, o] { env.action = [&env, o] { return CemShowCmd(env, *o); }; });
  auto* cset = cem->add_subcommand("set", "Change a step (a manager or admin: --as LOGIN)");
  cset->add_option("STEP", o->step, "The step, 1-7")->required();
  cset->add_option("--status", o->status, "not-started, in-progress or done");
  cset->add_option("--owner", o->owner, "Who owns the step (login or full name)")
      ->each([o](const std::string&) { o->has_owner = true; });
  cset->add_option("--note", o->note, "The step's note (replaces the previous one)")
      ->each([o](const std::string&) { o->has_note = true; });
  cset->add_option("--started", o->started,
                   "The day the step started (default: the day it leaves not-started; step 6: "
                   "the implementation date)");
  cset->add_option("--year", o->year, "The year (default: this year)");
  cset->callback([&env, o] { env.action = [&env, o] { return CemSetCmd(env, *o); }; });
}

}  // namespace cx
