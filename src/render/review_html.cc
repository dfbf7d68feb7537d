// Renders the weekly review pack as printable, self-contained HTML.
#include "render/review_html.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

#include "base/text.h"
#include "domain/division.h"
#include "render/review_format.h"
#include "render/review_html_parts.h"

namespace cx {
namespace {

using namespace review_html;  // NOLINT(google-build-using-namespace): the pack's own pieces

// A tiny inline SVG line of the values, oldest left.
std::string Sparkline(const KpiValue& v) {
  std::vector<std::optional<double>> vals;
  for (auto it = v.trend.rbegin(); it != v.trend.rend(); ++it) vals.push_back(it->value);
  vals.push_back(v.value);
  double lo = 0, hi = 0;
  bool any = false;
  for (const auto& x : vals) {
    if (!x) continue;
    if (!any || *x < lo) lo = *x;
    if (!any || *x > hi) hi = *x;
    any = true;
  }
  if (!any) return "";
  if (hi == lo) {
    hi += 1;
    lo -= 1;
  }
  std::string pts;
  const double w = 48, h = 16;
  for (size_t i = 0; i < vals.size(); ++i) {
    if (!vals[i]) continue;
    char buf[64];
    double x = vals.size() == 1 ? w / 2 : w * double(i) / double(vals.size() - 1);
    double y = h - 2 - (h - 4) * (*vals[i] - lo) / (hi - lo);
    std::snprintf(buf, sizeof buf, "%.1f,%.1f ", x, y);
    pts += buf;
  }
  return "<svg class=\"spark\" width=\"48\" height=\"16\" viewBox=\"0 0 48 16\"><polyline "
         "fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\" points=\"" +
         pts + "\"/></svg>";
}

// Print rules: A4 with the week in every page's header and the page number in its footer (these
// margin boxes also replace the browser's own header and footer), tables across the page width,
// rows never cut by a page break, headings kept with what follows.
const char* kCss = R"(
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 9.5pt; color: #1c1c1c; margin: 0 auto; max-width: 200mm; }
h1 { font-size: 16pt; margin: 0 0 1.5mm; }
h2 { font-size: 12pt; border-bottom: 1.5pt solid #1f5fa8; padding-bottom: 1mm; margin: 6mm 0 2mm; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10pt; margin: 3mm 0 1mm; break-after: avoid; page-break-after: avoid; }
p { margin: 1mm 0 2mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2mm; font-size: 8pt; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #b9c3cf; padding: 0.8mm 1.2mm; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.this { font-weight: bold; background: #f4f7fb; }
table.kpi td:first-child { min-width: 34mm; }
td.num.wrap { white-space: normal; }
.nw, td.id { white-space: nowrap; }
.met { color: #17703a; font-weight: bold; }
.missed { color: #b3261e; font-weight: bold; }
.muted { color: #666; }
.note { color: #666; font-size: 7.5pt; }
.breached { color: #b3261e; font-weight: bold; }
.at-risk { color: #a86400; font-weight: bold; }
.meta { color: #444; margin-bottom: 3mm; }
ul.ids { columns: 3; column-gap: 6mm; padding-left: 0; list-style: none; font-size: 8pt; margin: 1mm 0; }
ul.ids li { break-inside: avoid; }
h4 { font-size: 9.5pt; margin: 2.5mm 0 0.5mm; break-after: avoid; page-break-after: avoid; }
svg.chart { display: block; margin: 1mm 0; }
div.curve { break-inside: avoid; page-break-inside: avoid; }
table.curve-data, table.tp { font-size: 7.5pt; }
table.curve-data td:first-child { white-space: nowrap; }
@media print { body { max-width: none; } a { color: inherit; text-decoration: none; } section#scorecard { page-break-after: always; } }
)";

// The @page rule with this pack's running header and footer.
std::string PageCss(const ReviewPack& p, const std::string& as_of) {
  auto q = [](const std::string& s) {
    std::string o;
    for (char c : s) o += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return "\"" + o + "\"";
  };
  const char* box = "font-family: \"DejaVu Sans\", Arial, sans-serif; font-size: 8pt; color: #555;";
  return "@page { size: A4; margin: 15mm 11mm 13mm; @top-left { content: " +
         q("Weekly CX review " + p.week_name + " · " + PeriodLabel(p.week)) + "; " + box +
         " } @top-right { content: " + q(as_of) + "; " + box +
         " } @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); " + box +
         " } }\n";
}

// A KPI figure cell; "1.00 / quarter" may break before its unit, nothing else breaks.
std::string KpiCell(const std::string& s, const char* cls = "num") {
  size_t unit = s.find(" / quarter");
  if (unit == std::string::npos)
    return std::string("<td class=\"") + cls + "\">" + Esc(s) + "</td>";
  return std::string("<td class=\"") + cls + " wrap\"><span class=\"nw\">" +
         Esc(s.substr(0, unit)) + "</span> <span class=\"nw\">/ quarter</span></td>";
}

// The as-of line: the week's end for a finished week, else the moment of the pack.
std::string AsOfText(const ReviewPack& p, const Zone& zone) {
  if (p.week_over) return "as of the week's end, " + FormatDate(p.week.to) + " 24:00";
  std::string now = FormatTime(p.as_of, zone);
  return "as of " + now.substr(0, std::min<size_t>(16, now.size())).replace(10, 1, " ") +
         " (week in progress)";
}

void ScorecardSection(Html& h, const ReviewPack& p) {
  h.Section("scorecard", "KPI scorecard");
  // The trend columns: at most four previous weeks (the .xlsx pack has every week asked for).
  size_t shown = 0;
  std::vector<std::string> weeks;
  if (!p.scorecard.kpis.empty()) {
    shown = std::min<size_t>(p.scorecard.kpis.front().trend.size(), 4);
    for (size_t i = shown; i-- > 0;)
      weeks.push_back(IsoWeekName(p.scorecard.kpis.front().trend[i].period.from).substr(5));
  }
  std::map<std::string, std::vector<const KpiValue*>> by_div;
  std::vector<std::string> order;
  for (auto d : Divisions()) order.emplace_back(d);
  order.emplace_back(kAllDivisions);
  for (const auto& v : p.scorecard.kpis) by_div[v.division].push_back(&v);
  for (const auto& d : order) {
    auto it = by_div.find(d);
    if (it == by_div.end()) continue;
    h.Raw("<h3>" + Esc(d) + "</h3>\n<table class=\"kpi\"><thead><tr><th>KPI</th>");
    h.Raw("<th class=\"num\">Target</th>");
    for (const auto& w : weeks) h.Raw("<th class=\"num\">" + Esc(w) + "</th>");
    h.Raw("<th class=\"num\">" + Esc(p.week_name.substr(5)) +
          "</th><th>Met</th><th class=\"num\">Numerator / denominator</th><th "
          "class=\"num\">n</th><th>Trend</th></tr></thead><tbody>\n");
    for (const KpiValue* v : it->second) {
      std::string target = v->target ? std::string(DirectionSymbol(v->target->direction)) + " " +
                                           FormatKpiValue(v->target->value, v->unit)
                                     : "set by management";
      std::string met =
          !v->met ? "<span class=\"muted\">–</span>"
                  : (*v->met ? "<span class=\"met\">✓</span>" : "<span class=\"missed\">✗</span>");
      h.Raw("<tr data-kpi=\"" + Esc(v->key) + "\"><td>" + Esc(v->name) +
            (v->note.empty() ? "" : "<div class=\"note\">" + Esc(v->note) + "</div>") + "</td>" +
            (v->target ? KpiCell(target) : "<td class=\"num wrap muted\">set by management</td>"));
      for (size_t i = shown; i-- > 0;) h.Raw(KpiCell(FormatKpiValue(v->trend[i].value, v->unit)));
      h.Raw(KpiCell(FormatKpiValue(v->value, v->unit), "num this") + "<td>" + met + "</td>" +
            Num(FormatKpiNumDen(*v)) + Num(N(v->sample)) + "<td>" + Sparkline(*v) + "</td></tr>\n");
    }
    h.Raw("</tbody></table>\n");
  }
}

void SlaSection(Html& h, const ReviewPack& p, const Zone& zone) {
  h.Section("sla", "SLA: open clocks breached or at risk, and breaches of the week");
  if (!p.sla_available) {
    h.Empty(p.sla_note);
    return;
  }
  int64_t stopped = p.sla_total - p.sla_open;
  h.Raw("<p>" + N(p.sla_open) +
        " clock(s) still running at the week's end are breached or at risk; " + N(stopped) +
        " more breached during the week and have since been answered.</p>\n");
  if (p.sla_items.empty()) {
    h.Empty("No clock breached or at risk.");
    return;
  }
  if (int64_t(p.sla_items.size()) < p.sla_total) {
    h.Raw("<p class=\"note\">" + N(int64_t(p.sla_items.size())) + " of " + N(p.sla_total) +
          " listed: every clock at risk or breached this week, then the most recent of the "
          "older breaches (<code>cxhub sla --at</code> lists them all).</p>\n");
  }
  auto table = [&](bool open) {
    if (open) {
      h.Head({"State", "Clock", "Record", "Deal / case", "Customer", "Owner", "Started", "Due"});
    } else {
      h.Head({"State", "Clock", "Record", "Deal / case", "Customer", "Owner", "Started", "Due",
              "Answered"});
    }
    for (const auto& i : p.sla_items) {
      if (i.stopped.has_value() == open) continue;
      bool kase = i.kind == "quality-flag";
      std::string state(SlaStateName(i.state));
      h.Raw("<tr><td><span class=\"" + state + "\">" + state + "</span></td><td>" +
            Esc(std::string(i.kind)) + "<div class=\"note\">" + Esc(std::string(i.division)) +
            "</div></td>" + Id(i.id) + "<td>" +
            OrDash(kase ? p.names.Case(i.id) : p.names.Opportunity(i.id)) + "</td><td>" +
            OrDash(kase ? p.names.CustomerOfCase(i.id) : p.names.CustomerOfOpportunity(i.id)) +
            "</td><td>" + OrDash(i.owner) + "</td><td>" + T(i.started, zone) + "</td><td>" +
            T(i.due, zone) + "</td>" + (open ? "" : "<td>" + T(i.stopped, zone) + "</td>") +
            "</tr>\n");
    }
    h.End();
  };
  if (p.sla_open > 0) {
    h.Raw("<h3>Running at the week's end — " + N(p.sla_open) + "</h3>\n");
    table(true);
  }
  if (stopped > 0) {
    h.Raw("<h3>Breached during the week, since answered — " + N(stopped) + "</h3>\n");
    table(false);
  }
}

void OperationsSections(Html& h, const ReviewPack& p, const Zone& zone) {
  h.Section("quality-flags", "Open quality flags");
  if (p.open_quality_flags.empty()) {
    h.Empty("No open quality flag.");
  } else {
    h.Head({"Case", "Summary", "Customer", "Owner", "Opened", "Resolution confirmed"});
    for (const auto& c : p.open_quality_flags) {
      h.Row({Id(c.id), OrDash(p.names.Case(c.id)), OrDash(p.names.Account(c.account_id)),
             OrDash(c.owner), T(c.opened, zone), T(c.resolution_confirmed, zone)});
    }
    h.End();
  }

  h.Section("next-actions", "Overdue next actions by person");
  if (p.overdue_total == 0) {
    h.Empty("No overdue next action.");
  } else {
    int64_t week = 0;
    for (const auto& c : p.overdue_by_person) week += c.fell_due_this_week;
    h.Raw("<p>" + N(p.overdue_total) + " next action(s) overdue at the week's end, " + N(week) +
          " of them fell due this week.</p>\n");
    h.Head({"Person", "#Overdue", "#Fell due this week", "Oldest due"});
    for (const auto& c : p.overdue_by_person) {
      h.Row({Esc(c.person.empty() ? "(nobody)" : c.person), Num(N(c.overdue)),
             Num(N(c.fell_due_this_week)), T(c.oldest_due, zone)});
    }
    h.End();
    // On paper, the actions that fell due this week; the .xlsx pack lists the older ones too.
    Timestamp week_begin = BoundsOf(p.week, zone).begin;
    std::string person = "\x01";
    for (const auto& a : p.overdue) {
      if (a.due < week_begin) continue;
      if (a.owner != person) {
        if (person != "\x01") h.End();
        person = a.owner;
        h.Raw("<h3>Fell due this week: " + Esc(person.empty() ? "(nobody)" : person) + "</h3>\n");
        h.Head({"Due", "Next action", "Contact", "Customer", "Interaction", "Division"});
      }
      h.Row({T(a.due, zone), Esc(a.next_action),
             OrDash(p.names.Contact(a.contact_id)) + "<div class=\"note nw\">" + Esc(a.contact_id) +
                 "</div>",
             OrDash(p.names.CustomerOfContact(a.contact_id)), Id(a.interaction_id),
             Esc(a.division)});
    }
    if (person != "\x01") h.End();
    if (p.overdue_total > week) {
      h.Raw("<p class=\"note\">The " + N(p.overdue_total - week) +
            " older overdue actions are listed in the .xlsx pack (sheet Next actions, up to " +
            N(int64_t(p.overdue.size())) + " rows).</p>\n");
    }
  }

  h.Section("leads", "New and unrouted leads");
  h.Raw("<p>" + N(int64_t(p.new_leads.size())) + " new lead(s) this week, " + N(p.unrouted) +
        " without an owner.</p>\n");
  if (!p.new_leads.empty()) {
    h.Head({"Opportunity", "Deal", "Customer", "Division", "Created", "Owner",
            "First owner response"});
    for (const auto& o : p.new_leads) {
      bool unrouted = o.owner.find_first_not_of(" \t") == std::string::npos;
      h.Row({Id(o.id), OrDash(p.names.Opportunity(o.id)),
             OrDash(p.names.CustomerOfOpportunity(o.id)), Esc(o.division), T(o.created, zone),
             unrouted ? "<span class=\"breached\">unrouted</span>" : Esc(o.owner),
             T(o.first_response, zone)});
    }
    h.End();
  }
}

void DealsSection(Html& h, const ReviewPack& p, const Zone& zone) {
  h.Section("deals", "Won and lost deals, ownership changes");
  auto total = [](const std::vector<KpiOpportunityRow>& list) {
    double t = 0;
    for (const auto& o : list) t += o.amount.value_or(0);
    return t;
  };
  h.Raw("<p>" + N(int64_t(p.won.size())) + " won (" + FormatNaira(total(p.won)) + "), " +
        N(int64_t(p.lost.size())) + " lost (" + FormatNaira(total(p.lost)) + ").</p>\n");
  for (const auto* list : {&p.won, &p.lost}) {
    if (list->empty()) continue;
    bool won = list == &p.won;
    h.Raw(std::string("<h3>") + (won ? "Won" : "Lost") + "</h3>\n");
    if (won) {
      h.Head({"Opportunity", "Deal", "Customer", "Division", "Owner", "#Amount", "Closed"});
    } else {
      h.Head({"Opportunity", "Deal", "Customer", "Division", "Owner", "#Amount", "Closed",
              "Lost reason"});
    }
    for (const auto& o : *list) {
      std::string amount = o.amount ? Num(FormatNaira(*o.amount)) : Num("—");
      std::string base = "<tr>" + Id(o.id) + "<td>" + OrDash(p.names.Opportunity(o.id)) +
                         "</td><td>" + OrDash(p.names.CustomerOfOpportunity(o.id)) + "</td><td>" +
                         Esc(o.division) + "</td><td>" + OrDash(o.owner) + "</td>" + amount +
                         "<td>" + T(o.closed, zone) + "</td>";
      h.Raw(base + (won ? "" : "<td>" + OrDash(o.lost_reason) + "</td>") + "</tr>\n");
    }
    h.End();
  }
  h.Raw("<h3>Ownership changes</h3>\n");
  if (p.ownership_changes.empty()) {
    h.Empty("No account changed owner this week.");
  } else {
    h.Head({"Account", "Customer", "From", "To", "When", "By", "Reason"});
    for (const auto& e : p.ownership_changes) {
      h.Row({Id(e.entity_id), OrDash(p.names.Account(e.entity_id)), OrDash(e.before),
             OrDash(e.after), T(e.at, zone), OrDash(e.actor), OrDash(e.reason)});
    }
    h.End();
  }
}

void AdoptionSection(Html& h, const ReviewPack& p, const Zone& zone) {
  h.Section("adoption", "Adoption: interactions logged");
  h.Raw("<p>" + N(p.interactions_this_week) + " interaction(s) this week, " +
        N(p.interactions_last_week) + " last week.</p>\n");
  if (!p.adoption.empty()) {
    h.Head({"Person", "Division", "#This week", "#Last week", "#Change"});
    for (const auto& a : p.adoption) {
      h.Row({Esc(a.person.empty() ? "(not recorded)" : a.person),
             Esc(a.division.empty() ? "(none)" : a.division), Num(N(a.this_week)),
             Num(N(a.last_week)),
             Num((a.this_week >= a.last_week ? "+" : "") + N(a.this_week - a.last_week))});
    }
    h.End();
  }
  h.Raw("<h3>Logged nothing this week</h3>\n");
  if (p.silent_users.empty()) {
    h.Empty("Everyone in sales, service and stewardship logged at least one interaction.");
  } else {
    std::string list;
    for (const auto& u : p.silent_users) list += (list.empty() ? "" : ", ") + u;
    h.Raw("<p class=\"silent\">" + Esc(list) + "</p>\n");
  }
  HubFeedbackPart(h, p, zone);
}

// Most accounts missing an ERP Customer ID, and most duplicate clusters (strongest first), listed
// on paper; the .xlsx pack has them all.
constexpr size_t kMissingShown = 90;
constexpr size_t kClustersShown = 30;

void DataQualitySection(Html& h, const ReviewPack& p, const Zone& zone) {
  h.Section("data-quality", "Data quality");
  h.Head({"Measure", "Value"});
  h.Row({"Probable duplicate account clusters", N(int64_t(p.duplicate_accounts.size()))});
  h.Row({"Probable duplicate contact clusters", N(int64_t(p.duplicate_contacts.size()))});
  h.Row({"Accounts missing an ERP Customer ID", N(p.accounts_missing_erp)});
  h.Row({"Steward queue (proposed ERP links)",
         p.erp_available && p.erp.steward_queue ? N(*p.erp.steward_queue) : "not available"});
  h.Row({"Last ERP customers sync (by the week's end)",
         p.erp_available ? T(p.erp.customers_synced, zone) : "not available"});
  h.Row({"Last ERP orders sync (by the week's end)",
         p.erp_available ? T(p.erp.orders_synced, zone) : "not available"});
  h.End();
  if (!p.erp_available) h.Raw("<p class=\"note\">" + Esc(p.erp_note) + "</p>\n");
  if (!p.duplicate_accounts.empty() || !p.duplicate_contacts.empty()) {
    h.Raw("<h3>Probable duplicates</h3>\n");
    h.Head({"Kind", "Records", "#Score", "Why"});
    size_t clusters = p.duplicate_accounts.size() + p.duplicate_contacts.size(), shown = 0;
    for (const auto* list : {&p.duplicate_accounts, &p.duplicate_contacts}) {
      bool accounts = list == &p.duplicate_accounts;
      size_t room = list == &p.duplicate_accounts ? kClustersShown / 2 : kClustersShown - shown;
      for (size_t k = 0; k < list->size() && k < room; ++k, ++shown) {
        const Cluster& c = (*list)[k];
        std::string ids;
        for (const auto& id : c.ids) {
          std::string name = accounts ? p.names.Account(id) : p.names.Contact(id);
          ids += "<div><span class=\"nw\">" + Esc(id) + "</span> " + Esc(name) + "</div>";
        }
        char sc[16];
        std::snprintf(sc, sizeof sc, "%.2f", c.score);
        h.Row({accounts ? "accounts" : "contacts", ids, Num(sc), Esc(c.why)});
      }
    }
    h.End();
    if (shown < clusters) {
      h.Raw("<p class=\"note\">" + N(int64_t(shown)) + " of " + N(int64_t(clusters)) +
            " clusters shown, strongest first; the .xlsx pack and `cxhub duplicates` list them "
            "all.</p>\n");
    }
  }
  if (!p.accounts_missing_erp_ids.empty()) {
    h.Raw("<h3>Accounts missing an ERP Customer ID</h3>\n<ul class=\"ids\">");
    size_t n = std::min(p.accounts_missing_erp_ids.size(), kMissingShown);
    for (size_t i = 0; i < n; ++i) {
      const auto& id = p.accounts_missing_erp_ids[i];
      h.Raw("<li><span class=\"nw\">" + Esc(id) + "</span> " + Esc(p.names.Account(id)) + "</li>");
    }
    h.Raw("</ul>\n");
    if (p.accounts_missing_erp > int64_t(n)) {
      h.Raw("<p class=\"note\">" + N(int64_t(n)) + " of " + N(p.accounts_missing_erp) +
            " listed; the .xlsx pack lists up to " + N(int64_t(p.accounts_missing_erp_ids.size())) +
            ".</p>\n");
    }
  }
}

void HealthSection(Html& h, const ReviewPack& p) {
  h.Section("health", "The hub's own health (seed, Risk 4: scalability triggers)");
  h.Head({"Trigger", "Measured", "True?"});
  for (const auto& t : p.triggers) {
    h.Row({Esc(t.name), Esc(t.measured), !t.tripped ? "unknown" : (*t.tripped ? "yes" : "no")});
  }
  h.End();
  h.Raw("<p><strong>" + Esc(p.health_verdict) +
        "</strong></p>\n<h3>Slowest queries of this pack</h3>\n");
  h.Head({"Query", "#Time (ms)"});
  for (const auto& q : p.slowest) {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f", q.millis);
    h.Row({Esc(q.name), Num(ms)});
  }
  h.End();
}

}  // namespace

std::string RenderReviewHtml(const ReviewPack& p, const Zone& zone) {
  Html h;
  std::string as_of = AsOfText(p, zone);
  // When the pack was made is kept out of the printed page (a meeting reads the week as it stood
  // at its end; a December date on an October pack reads as a December figure).
  h.Raw(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
      "name=\"generated\" content=\"" +
      Esc(FormatTime(p.generated_at, zone)) + "\"><title>Weekly CX review " + Esc(p.week_name) +
      "</title><style>" + PageCss(p, as_of) + kCss + "</style></head><body>\n");
  h.Raw("<h1>Weekly CX review " + Esc(p.week_name) + "</h1>\n<p class=\"meta\">Week " +
        Esc(PeriodLabel(p.week)) + " · figures " + Esc(as_of) + " (" + Esc(zone.name()) +
        ") · “If it's not in the Hub, it's not discussed.”</p>\n");
  ScorecardSection(h, p);
  SlaSection(h, p, zone);
  OperationsSections(h, p, zone);
  DealsSection(h, p, zone);
  AdoptionSection(h, p, zone);
  DataQualitySection(h, p, zone);
  VoiceSection(h, p);
  HealthSection(h, p);
  std::string out = h.Finish();
  out += "</body></html>\n";
  return out;
}

Status WriteReviewHtml(const ReviewPack& p, const Zone& zone, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Internal(path + ": cannot be written");
  std::string s = RenderReviewHtml(p, zone);
  f.write(s.data(), std::streamsize(s.size()));
  f.close();
  if (!f) return Internal(path + ": write failed");
  return Status::Ok();
}

}  // namespace cx
