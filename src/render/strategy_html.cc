// Renders the one-page customer strategy as one printable A4 page.
#include <fstream>

#include "base/text.h"
#include "render/strategy_page.h"

namespace cx {
namespace {

// One A4 sheet: the parts keep their order of the template; text wraps inside its cell and the
// limits of domain/strategy.h keep the fullest strategy on the page.
const char* kCss = R"(
@page { size: A4; margin: 9mm 11mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 7.2pt; line-height: 1.17; color: #1c1c1c; margin: 0 auto; max-width: 188mm; }
h1 { font-size: 14pt; margin: 0 0 0.5mm; }
h2 { font-size: 9.5pt; border-bottom: 1.2pt solid #1f5fa8; padding-bottom: 0.4mm; margin: 1.6mm 0 0.8mm; }
.meta { color: #444; margin-bottom: 1mm; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 0.5pt solid #b9c3cf; padding: 0.4mm 1mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #e8eef5; }
th.part { width: 40mm; }
td.num, th.num { text-align: right; white-space: nowrap; }
.two { display: flex; gap: 3mm; }
.two > * { flex: 1; min-width: 0; }
.box { border: 0.5pt solid #b9c3cf; padding: 0.8mm 1.2mm; min-height: 6mm; white-space: pre-wrap; overflow-wrap: anywhere; }
.label { font-weight: bold; margin: 0 0 0.5mm; }
.met { color: #17703a; font-weight: bold; }
.missed { color: #b3261e; font-weight: bold; }
.muted { color: #666; }
.nw { white-space: nowrap; }
.note { color: #666; font-size: 6.5pt; }
@media print { body { max-width: none; } }
)";

class Page {
 public:
  void Raw(const std::string& s) { out_ += s; }
  void Text(const std::string& s) { out_ += HtmlEscape(s); }
  // A labelled box of free text (a dash when empty).
  void Box(const std::string& label, const std::string& text) {
    out_ += "<div><p class=\"label\">" + HtmlEscape(label) + "</p><div class=\"box\">" +
            (text.empty() ? std::string("<span class=\"muted\">—</span>") : HtmlEscape(text)) +
            "</div></div>";
  }
  // A row of a 1/3/5-year grid.
  void Row(const std::string& label, const Horizons& h) {
    out_ += "<tr><th class=\"part\">" + HtmlEscape(label) + "</th><td>" + HtmlEscape(h.year1) +
            "</td><td>" + HtmlEscape(h.year3) + "</td><td>" + HtmlEscape(h.year5) + "</td></tr>";
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

const char* kYears =
    "<tr><th class=\"part\"></th><th>1 year</th><th>3 years</th><th>5 years</th></tr>";

}  // namespace

std::string RenderStrategyHtml(const StrategyPage& page, const Zone& zone) {
  const Strategy& s = page.saved.strategy;
  Page h;
  h.Raw(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>One Page "
      "Customer Strategy</title><style>");
  h.Raw(kCss);
  h.Raw("</style></head><body>\n<h1>One Page Customer Strategy</h1>\n<p class=\"meta\">Version ");
  h.Text(std::to_string(page.saved.version) + " · saved by " + page.saved_by_name + " on " +
         FormatTime(page.saved.saved_at, zone).substr(0, 10) + " · key results live for " +
         PeriodLabel(page.period));
  h.Raw("</p>\n");

  h.Raw("<section id=\"business\"><h2>Input from Business Strategy</h2><div class=\"two\">");
  h.Box("Mission", s.mission);
  h.Box("Vision", s.vision);
  h.Raw("</div><p class=\"label\" style=\"margin-top:1mm\">Key Objectives</p><table>");
  h.Raw(kYears);
  h.Row("Expected growth", s.growth);
  h.Row("New markets", s.new_markets);
  h.Row("New customers", s.new_customers);
  h.Raw("</table></section>\n");

  h.Raw("<section id=\"ambition\"><h2>Customer Experience Strategy</h2>");
  h.Box("Customer Ambition: how do we want to be perceived by our customers?", s.ambition);
  h.Raw(
      "</section>\n<section id=\"objectives\"><p class=\"label\" "
      "style=\"margin-top:1mm\">Objectives</p><table>");
  h.Raw(kYears);
  for (size_t i = 0; i < s.objectives.size(); ++i)
    h.Row(std::to_string(i + 1) + ". " + s.objectives[i].title, s.objectives[i].horizons);
  h.Raw("</table></section>\n");

  h.Raw("<section id=\"key-results\"><h2>Key Results</h2>");
  if (page.key_results.empty()) {
    h.Raw("<p class=\"muted\">No key results yet.</p>");
  } else {
    h.Raw(
        "<table><colgroup><col style=\"width:33%\"><col style=\"width:20%\"><col "
        "style=\"width:13%\"><col style=\"width:9%\"><col style=\"width:9%\"><col "
        "style=\"width:9%\"><col style=\"width:7%\"></colgroup><tr><th>Key result</th><th>KPI "
        "</th><th>Division</th><th class=\"num\">Target</th><th "
        "class=\"num\">Now</th><th>Due</th><th>Met</th></tr>");
    for (const auto& k : page.key_results) {
      h.Raw("<tr><td>");
      h.Text(k.kr.title.empty() ? k.kpi_name : k.kr.title);
      h.Raw("</td><td>");
      h.Text(k.kpi_name);
      h.Raw("</td><td>");
      h.Text(k.kr.division);
      h.Raw("</td><td class=\"num\">");
      h.Text(k.target && k.direction ? std::string(DirectionSymbol(*k.direction)) + " " +
                                           FormatKpiValue(k.target, k.unit)
                                     : "—");
      h.Raw("</td><td class=\"num\">");
      h.Text(FormatKpiValue(k.value, k.unit));
      h.Raw("</td><td class=\"nw\">");
      h.Text(FormatDate(k.kr.due));
      h.Raw("</td><td class=\"nw\">");
      if (!k.met) {
        h.Raw("<span class=\"muted\" title=\"");
        h.Text(k.note);
        h.Raw("\">no data</span>");
      } else {
        h.Raw(*k.met ? "<span class=\"met\">✓ met</span>"
                     : "<span class=\"missed\">✗ not met</span>");
      }
      h.Raw("</td></tr>");
    }
    h.Raw("</table>");
  }
  h.Raw("</section>\n<div class=\"two\" style=\"margin-top:2mm\"><section id=\"communication\">");
  h.Box("Communication Plan", s.communication);
  h.Raw("</section><section id=\"notes\">");
  h.Box("Notes", s.notes);
  h.Raw("</section></div>\n</body></html>\n");
  return h.Take();
}

Status WriteStrategyHtml(const StrategyPage& page, const Zone& zone, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Internal("cannot write " + path);
  f << RenderStrategyHtml(page, zone);
  f.close();
  if (!f) return Internal("cannot write " + path);
  return Status::Ok();
}

}  // namespace cx
