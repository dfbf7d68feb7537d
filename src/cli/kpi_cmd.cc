// KPI and review commands: kpi (scorecard, targets) and review (the weekly pack as HTML or .xlsx).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>

#include "cli/cli_common.h"
#include "render/report_json.h"
#include "render/review_html.h"
#include "render/review_xlsx.h"
#include "service/kpi_service.h"
#include "service/review_service.h"

namespace cx {
namespace {

struct KpiOpts {
  std::string division, from, to, week, format, out;
  bool json = false, force = false;
  int trend = 4;
  int ids = 200;
  // target set
  std::string key, target_division, direction = "above";
  double value = 0;
  double hours = 0;
};

// The characters (UTF-8 code points, not bytes) of `s`: its width on a terminal for the
// text the scorecard prints.
size_t DisplayWidth(const std::string& s) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars;
}

// `s` padded with spaces to `width` characters, on the left when `right`.
std::string Pad(const std::string& s, size_t width, bool right = false) {
  size_t chars = DisplayWidth(s);
  if (chars >= width) return s;
  std::string fill(width - chars, ' ');
  return right ? fill + s : s + fill;
}

Result<std::optional<Date>> OptDate(const std::string& name, const std::string& text) {
  if (text.empty()) return std::optional<Date>();
  auto d = ParseDate(text);
  if (!d.ok()) return Invalid(name + ": " + d.status().message());
  return std::optional<Date>(*d);
}

int KpiCmd(CliEnv& env, const KpiOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto from = OptDate("--from", o.from);
    if (!from.ok()) return Fail(from.status());
    auto to = OptDate("--to", o.to);
    if (!to.ok()) return Fail(to.status());
    KpiQuery q;
    q.period = DefaultKpiPeriod(ctx, *from, *to);
    q.division = o.division;
    q.trend = o.trend;
    q.id_limit = o.ids;
    if (o.json) {
      auto doc = KpiReport(ctx, {o.division, o.from, o.to, o.trend, o.ids, "--"});
      if (!doc.ok()) return Fail(doc.status());
      PrintJson(*doc);
      return 0;
    }
    auto card = ComputeKpis(ctx, q);
    if (!card.ok()) return Fail(card.status());
    Print("KPIs %s\n\n", PeriodLabel(card->period).c_str());
    // Columns as wide as their widest cell, counted in characters (✓, ✗, ₦ and — are one
    // character of several bytes each); numbers right-aligned.
    std::vector<std::array<std::string, 7>> rows;
    rows.push_back({"Division", "KPI", "Value", "Target", "Met", "Sample",
                    "Trend (previous periods, newest first)"});
    for (const auto& v : card->kpis) {
      std::string target = v.target ? std::string(DirectionSymbol(v.target->direction)) + " " +
                                          FormatKpiValue(v.target->value, v.unit)
                                    : "(none)";
      const char* mark = !v.met ? "·" : (*v.met ? "✓" : "✗");
      std::string trend;
      for (const auto& t : v.trend)
        trend += (trend.empty() ? "" : ", ") + FormatKpiValue(t.value, v.unit);
      rows.push_back({v.division, v.name, FormatKpiValue(v.value, v.unit), target, mark,
                      std::to_string(v.sample), trend});
    }
    std::array<size_t, 7> width{};
    for (const auto& r : rows) {
      for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], DisplayWidth(r[c]));
    }
    const std::array<bool, 7> right = {false, false, true, true, false, true, false};
    for (size_t i = 0; i < rows.size(); ++i) {
      std::string line;
      for (size_t c = 0; c < 6; ++c) line += Pad(rows[i][c], width[c], right[c]) + " ";
      line += " " + rows[i][6];
      while (!line.empty() && line.back() == ' ') line.pop_back();
      Print("%s\n", line.c_str());
      const KpiValue* v = i ? &card->kpis[i - 1] : nullptr;
      if (v && !v->value) Print("%s (no value: %s)\n", Pad("", width[0]).c_str(), v->note.c_str());
    }
    return 0;
  });
}

int TargetSetCmd(CliEnv& env, const KpiOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto dir = ParseDirection(o.direction);
    if (!dir.ok()) return Fail(Invalid("--direction: " + dir.status().message()));
    KpiTarget t{o.key, o.target_division, o.value, *dir};
    CX_RETURN_IF_ERROR_CLI(SetKpiTarget(ctx, t));
    Print("target of %s%s set: %s %g\n", o.key.c_str(),
          o.target_division.empty() ? "" : (" (" + o.target_division + ")").c_str(),
          std::string(DirectionName(*dir)).c_str(), o.value);
    return 0;
  });
}

int TargetListCmd(CliEnv& env, const KpiOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    if (o.json) {
      auto doc = KpiTargetsReport(ctx);
      if (!doc.ok()) return Fail(doc.status());
      PrintJson(*doc);
      return 0;
    }
    std::vector<KpiTarget> targets;
    Status st = ctx.store->Read([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(targets, EffectiveTargets(tx));
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st);
    for (const auto& t : targets) {
      Print("%-26s %-19s %-9s %g\n", t.key.c_str(),
            t.division.empty() ? "(every division)" : t.division.c_str(),
            std::string(DirectionName(t.direction)).c_str(), t.value);
    }
    return 0;
  });
}

int StewardHoursCmd(CliEnv& env, const KpiOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    CX_RETURN_IF_ERROR_CLI(RecordStewardHours(ctx, o.week, o.hours));
    Print("steward hours of %s recorded: %g\n", o.week.c_str(), o.hours);
    return 0;
  });
}

int ReviewCmd(CliEnv& env, const KpiOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    ReviewQuery q;
    if (!o.week.empty()) {
      auto p = ParseIsoWeek(o.week);
      if (!p.ok()) return Fail(Invalid("--week: " + p.status().message()));
      q.week = *p;
    } else {
      q.week = DefaultReviewWeek(ctx);
    }
    std::string format = o.format;
    if (format.empty()) format = o.out.ends_with(".xlsx") ? "xlsx" : "html";
    if (format != "html" && format != "xlsx")
      return Fail(Invalid("--format: '" + format + "' is not html or xlsx"));
    const FileKind kind = format == "html" ? FileKind::kText : FileKind::kXlsx;
    CX_RETURN_IF_ERROR_CLI(CheckOutputPath(o.out, kind, env.Output(o.force)));
    auto pack = BuildReview(ctx, q);
    if (!pack.ok()) return Fail(pack.status());
    Status st = WriteOutput(env, o.out, kind, o.force, [&](const std::string& tmp) {
      return format == "html" ? WriteReviewHtml(*pack, ctx.zone, tmp)
                              : WriteReviewXlsx(*pack, ctx.zone, tmp);
    });
    if (!st.ok()) return Fail(st);
    Print("weekly review %s written to %s\n", pack->week_name.c_str(), o.out.c_str());
    return 0;
  });
}

}  // namespace

void RegisterKpiCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<KpiOpts>();
  auto* kpi = app.add_subcommand(
      "kpi", "KPIs of docs/kpi.md against their targets, with trend and drill-down");
  kpi->add_option("--division", o->division,
                  "One division, or All (default: every division and All)");
  kpi->add_option("--from", o->from,
                  "First day of the period (default: start of the current quarter)");
  kpi->add_option("--to", o->to, "Last day of the period, included (default: end of the quarter)");
  kpi->add_option("--trend", o->trend, "Previous periods to show as trend (default 4)");
  kpi->add_option("--ids", o->ids, "Drill-down record ids kept per list (default 200)");
  kpi->add_flag("--json", o->json,
                "Print {\"from\", \"to\", \"kpis\": [{division, key, name, value, unit, target, "
                "met, numerator, "
                "denominator, sample, note, trend, records}…]}");

  auto* target = kpi->add_subcommand(
      "target", "List or set KPI targets (setting needs a manager: --as LOGIN)");
  target->require_subcommand(1);
  auto* tset = target->add_subcommand("set", "Set a KPI's target (managers only; audited)");
  tset->add_option("key", o->key, "The KPI key, e.g. inquiry_to_quote")->required();
  tset->add_option("--division", o->target_division,
                   "Only for this division (or All); default every division");
  tset->add_option("--value", o->value, "The threshold (rates are fractions: 0.6 = 60 %)")
      ->required();
  tset->add_option("--direction", o->direction, "above (default), below, at_least or at_most");
  tset->callback([&env, o] { env.action = [&env, o] { return TargetSetCmd(env, *o); }; });
  auto* tlist = target->add_subcommand("list", "The targets in force");
  tlist->add_flag("--json", o->json, "Print {\"targets\": [{key, division, value, direction}…]}");
  tlist->callback([&env, o] { env.action = [&env, o] { return TargetListCmd(env, *o); }; });
  auto* sh = kpi->add_subcommand(
      "steward-hours",
      "Record the hours data stewards spent cleaning data in a week (health section)");
  sh->add_option("--week", o->week, "ISO week YYYY-Www")->required();
  sh->add_option("--hours", o->hours, "Hours spent that week")->required();
  sh->callback([&env, o] { env.action = [&env, o] { return StewardHoursCmd(env, *o); }; });
  kpi->callback([&env, o, kpi] {
    if (kpi->get_subcommands().empty()) env.action = [&env, o] { return KpiCmd(env, *o); };
  });

  auto* review = app.add_subcommand(
      "review", "Write the weekly CX review pack (HTML for print, or .xlsx with charts)");
  review->add_option("--week", o->week, "ISO week YYYY-Www (default: the current week)");
  review->add_option("--format", o->format,
                     "html or xlsx (default: from the file name, else html)");
  review
      ->add_option("--out", o->out,
                   "The file to write (written whole or not at all; never the hub's own file)")
      ->required();
  review->add_flag("--force", o->force, "Replace an existing file of another kind");
  review->callback([&env, o] { env.action = [&env, o] { return ReviewCmd(env, *o); }; });
}

}  // namespace cx
