// Writes the one-page guide of a role from the hub's configuration.
#include "render/golive_guide.h"

#include <array>
#include <cmath>
#include <cstdio>

#include "base/text.h"
#include "domain/division.h"
#include "domain/rules.h"

namespace cx {
namespace {

constexpr std::array<std::string_view, 4> kRoles = {"sales", "service", "steward", "manager"};

struct RoleText {
  std::string_view role, title, why;
  std::array<std::pair<const char*, const char*>, 5> commands;  // command, what it is for
};

// The strategy's "what's in it for me" per role, and the everyday commands of each.
const std::array<RoleText, 4> kText = {{
    {"sales",
     "Sales",
     "Prove your work, secure your commission: every conversation you log is yours, and a deal "
     "you close makes you the Account Owner.",
     {{{"cxhub search \"okafor\"", "find the customer first (search first)"},
       {"cxhub interaction add --contact C-… --channel whatsapp --notes …", "log a conversation"},
       {"cxhub opportunity add --account A-… --division D", "open a lead or inquiry"},
       {"cxhub opportunity move O-… --stage Quote", "move a deal (checklists are enforced)"},
       {"cxhub next-actions --overdue", "what you promised and have not done yet"}}}},
    {"service",
     "Service and operations",
     "Look professional, have the full customer history: every visit, quote and complaint is in "
     "one place before you pick up the phone.",
     {{{"cxhub search \"okafor\"", "find the customer first"},
       {"cxhub case open --account A-… --kind after-sales", "open an after-sales case"},
       {"cxhub interaction add --contact C-… --case K-… --notes …", "log what you did"},
       {"cxhub sla --open", "the clocks still running, worst first"},
       {"cxhub next-actions --overdue", "what is overdue"}}}},
    {"steward",
     "Data stewards",
     "Keep the data clean for everyone: one steward per division fixes duplicates and master "
     "data, so nobody argues about which record is right.",
     {{{"cxhub duplicates", "probable duplicates, best first"},
       {"cxhub merge accounts A-1 A-2 --reason …", "merge (undo: cxhub merge undo M-…)"},
       {"cxhub links list", "proposed links to ERP customers"},
       {"cxhub erp-sync customers FILE", "load the ERP export"},
       {"cxhub kpi steward-hours --week YYYY-Www --hours N", "hours spent cleaning data"}}}},
    {"manager",
     "Management",
     "Get a clear pipeline view without chasing people: the weekly CX review runs from the hub. "
     "If it's not in the hub, it's not discussed.",
     {{{"cxhub review --week YYYY-Www --out review.html", "the weekly CX review pack"},
       {"cxhub kpi", "KPIs against targets, this quarter"},
       {"cxhub kpi target set KEY --value V", "set a KPI target"},
       {"cxhub ownership set A-… --owner LOGIN --reason …", "override an Account Owner"},
       {"cxhub strategy show", "the customer strategy and its key results"}}}},
}};

const char* kCss = R"(
@page { size: A4; margin: 10mm 11mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 7.6pt; line-height: 1.25; color: #1c1c1c; margin: 0 auto; max-width: 188mm; }
h1 { font-size: 14pt; margin: 0 0 1mm; }
h2 { font-size: 9.5pt; border-bottom: 1.2pt solid #1f5fa8; padding-bottom: 0.5mm; margin: 2.5mm 0 1mm; }
p { margin: 0.5mm 0 1mm; }
ul { margin: 0.5mm 0 1mm; padding-left: 4mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #b9c3cf; padding: 0.5mm 1mm; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
kbd, code { font-family: "DejaVu Sans Mono", monospace; font-size: 7pt; background: #f0f3f7; border-radius: 1pt; padding: 0 0.6mm; }
.why { font-size: 8.5pt; background: #f4f7fb; border-left: 1.5pt solid #1f5fa8; padding: 1mm 2mm; }
.cols { display: flex; gap: 4mm; }
.cols > * { flex: 1; min-width: 0; }
@media print { body { max-width: none; } }
)";

std::string Hours(const SlaRule& r) {
  char buf[64];
  const double h = double(r.allowance) / 3600.0;
  std::snprintf(buf, sizeof buf, h == std::floor(h) ? "%.0f" : "%.1f", h);
  return std::string(buf) + (r.business_hours ? " business hours" : " hours");
}

std::string SlaText(const SlaRule& r) {
  if (r.kind == "inquiry") return "answer every inquiry within " + Hours(r);
  if (r.kind == "lead") return "the owner answers every lead within " + Hours(r);
  if (r.kind == "quality-flag")
    return "confirm a resolution plan for a quality flag within " + Hours(r);
  return r.kind + " within " + Hours(r);
}

}  // namespace

std::span<const std::string_view> GuideRoles() { return kRoles; }

Result<std::string> RenderGoLiveGuide(std::string_view role, const JourneyConfig& journeys) {
  const RoleText* t = nullptr;
  for (const auto& x : kText) {
    if (x.role == role) t = &x;
  }
  if (!t)
    return Invalid("--role: '" + std::string(role) + "' is not one of " +
                   JoinForMessage(GuideRoles()));
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cxhub: "
      "the one-page guide for " +
      HtmlEscape(t->title) + "</title><style>" + kCss + "</style></head><body>\n";
  h += "<h1>cxhub: the one-page guide for " + HtmlEscape(t->title) + "</h1>\n";
  h += "<p class=\"why\">" + HtmlEscape(t->why) + "</p>\n";

  h += "<div class=\"cols\"><section id=\"rules\"><h2>The rules we all keep</h2><ul>"
       "<li><b>Search first.</b> Look the customer up before you create anything; the hub stops a "
       "probable duplicate and shows the match.</li>"
       "<li><b>Log it, or it did not happen.</b> The weekly CX review runs from the hub only.</li>"
       "<li><b>The ERP is the king.</b> Names, addresses and credit come from the ERP and are "
       "read-only here.</li>"
       "<li><b>Rule of engagement.</b> Whoever wins a deal becomes the Account Owner; only a "
       "manager changes an owner otherwise, with a reason.</li></ul></section>\n";
  // One sentence, not a list: the table has a row for every operation the API checks.
  std::string may;
  for (const auto& r : OperationRules()) {
    const Reach reach = ReachOf(role, r.op);
    if (reach == Reach::kNone) continue;
    may += (may.empty() ? "" : "; ") + std::string(r.what) +
           (reach == Reach::kOwnDivisions ? " (within your division)" : "");
  }
  h += "<section id=\"may\"><h2>What you may do as " + HtmlEscape(std::string(role)) + "</h2><p>" +
       HtmlEscape(may) + ".</p></section></div>\n";

  h += "<section id=\"journeys\"><h2>Our divisions and their journeys</h2><table><tr><th "
       "style=\"width:22mm\">Division</th><th>Stages, in order</th><th "
       "style=\"width:55mm\">Clocks and checklists</th></tr>";
  for (std::string_view d : Divisions()) {
    const Journey* j = journeys.Find(d);
    h += "<tr><td><b>" + HtmlEscape(d) + "</b></td><td>";
    if (!j || j->stages.empty()) {
      h += "visits and spend come from ERP orders; reviews and feedback are logged";
    } else {
      std::string stages;
      for (const auto& s : j->stages) stages += (stages.empty() ? "" : " → ") + s;
      h += HtmlEscape(stages + " (or " + j->lost_stage + ")");
    }
    h += "</td><td>";
    std::string extra;
    if (j) {
      for (const auto& s : j->slas) extra += (extra.empty() ? "" : "; ") + SlaText(s);
      for (const auto& c : j->checklists)
        extra += (extra.empty() ? "" : "; ") + (c.title.empty() ? c.name : c.title) + " before " +
                 c.required_for;
    }
    h += extra.empty() ? "—" : HtmlEscape(extra);
    h += "</td></tr>";
  }
  h += "</table></section>\n";

  h +=
      "<div class=\"cols\"><section id=\"shortcuts\"><h2>On the hub's page</h2><table>"
      "<tr><td><kbd>/</kbd></td><td>search: type a few letters of a name, phone or email</td></tr>"
      "<tr><td><kbd>n</kbd></td><td>log an interaction from any screen: <b>Contact</b>, "
      "<b>Channel</b>, <b>Notes</b>, <b>Next action</b>, <b>Due</b></td></tr>"
      "<tr><td><kbd>Enter</kbd></td><td>in Contact: take the first suggestion and move on</td></tr>"
      "<tr><td><kbd>Ctrl+Enter</kbd></td><td>save</td></tr>"
      "<tr><td><kbd>Esc</kbd></td><td>close without saving</td></tr></table>"
      "<p>Screens: Accounts, Pipeline, My queue, KPIs, Review, Steward, Feedback, Strategy, "
      "Admin.</p></section>\n";
  h += "<section id=\"commands\"><h2>From the command line</h2><table>";
  for (const auto& [cmd, what] : t->commands)
    h += "<tr><td><code>" + HtmlEscape(cmd) + "</code></td><td>" + HtmlEscape(what) + "</td></tr>";
  h += "</table></section></div>\n";
  h += "<section id=\"feedback\"><h2>Tell us what gets in your way</h2><p>The hub is for you: "
       "<code>cxhub hub-feedback add --score 1-5 --comment \"…\" --as YOUR.LOGIN</code>. "
       "Your feedback is read in the weekly review.</p></section>\n";
  h += "</body></html>\n";
  return h;
}

}  // namespace cx
