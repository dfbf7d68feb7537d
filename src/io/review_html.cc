// Renders the weekly review pack as printable, self-contained HTML.
#include "io/review_html.h"

#include <cstdio>
#include <fstream>
#include <map>

#include "domain/division.h"

namespace cx {
namespace {

std::string Esc(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::string T(Timestamp t, const Zone& z) {
  std::string s = FormatTime(t, z);
  if (s.size() >= 16) s = s.substr(0, 10) + " " + s.substr(11, 5);
  return s;
}
std::string T(const std::optional<Timestamp>& t, const Zone& z) { return t ? T(*t, z) : "—"; }

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
  const double w = 80, h = 18;
  for (size_t i = 0; i < vals.size(); ++i) {
    if (!vals[i]) continue;
    char buf[64];
    double x = vals.size() == 1 ? w / 2 : w * double(i) / double(vals.size() - 1);
    double y = h - 2 - (h - 4) * (*vals[i] - lo) / (hi - lo);
    std::snprintf(buf, sizeof buf, "%.1f,%.1f ", x, y);
    pts += buf;
  }
  return "<svg class=\"spark\" width=\"80\" height=\"18\" viewBox=\"0 0 80 18\"><polyline "
         "fill=\"none\" "
         "stroke=\"#1f5fa8\" stroke-width=\"1.5\" points=\"" +
         pts + "\"/></svg>";
}

const char* kCss = R"(
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 10pt; color: #1c1c1c; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; border-bottom: 1.5pt solid #1f5fa8; padding-bottom: 1mm; margin: 6mm 0 2mm; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2mm; page-break-inside: auto; }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #b9c3cf; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.met { color: #17703a; font-weight: bold; }
.missed { color: #b3261e; font-weight: bold; }
.muted { color: #666; }
.note { color: #666; font-size: 8.5pt; }
.breached { color: #b3261e; font-weight: bold; }
.at-risk { color: #a86400; font-weight: bold; }
section { page-break-inside: auto; }
section + section { page-break-before: auto; }
.meta { color: #444; margin-bottom: 4mm; }
@media print { a { color: inherit; text-decoration: none; } section#scorecard { page-break-after: always; } }
)";

class Html {
 public:
  void Raw(const std::string& s) { out_ += s; }
  void Text(const std::string& s) { out_ += Esc(s); }
  void Section(const std::string& id, const std::string& title) {
    if (open_) out_ += "</section>\n";
    out_ += "<section id=\"" + id + "\"><h2>" + Esc(title) + "</h2>\n";
    open_ = true;
  }
  void Head(std::initializer_list<std::string> cols) {
    out_ += "<table><thead><tr>";
    for (const auto& c : cols) out_ += "<th>" + Esc(c) + "</th>";
    out_ += "</tr></thead><tbody>\n";
  }
  void Row(std::initializer_list<std::string> cells) {
    out_ += "<tr>";
    for (const auto& c : cells) out_ += "<td>" + Esc(c) + "</td>";
    out_ += "</tr>\n";
  }
  void End() { out_ += "</tbody></table>\n"; }
  void Empty(const std::string& s) { out_ += "<p class=\"muted\">" + Esc(s) + "</p>\n"; }
  std::string Finish() {
    if (open_) out_ += "</section>\n";
    open_ = false;
    return out_;
  }

 private:
  std::string out_;
  bool open_ = false;
};

std::string N(int64_t n) { return std::to_string(n); }

}  // namespace

std::string RenderReviewHtml(const ReviewPack& p, const Zone& zone) {
  Html h;
  h.Raw(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Weekly CX review " +
      Esc(p.week_name) + "</title><style>" + kCss + "</style></head><body>\n");
  h.Raw("<h1>Weekly CX review " + Esc(p.week_name) + "</h1>\n<p class=\"meta\">Week " +
        Esc(PeriodLabel(p.week)) + " · figures as of " + Esc(T(p.as_of, zone)) + " (" +
        Esc(zone.name()) + ") · generated " + Esc(T(p.generated_at, zone)) +
        " · “If it's not in the Hub, it's not discussed.”</p>\n");

  h.Section("scorecard", "KPI scorecard");
  std::map<std::string, std::vector<const KpiValue*>> by_div;
  std::vector<std::string> order;
  for (auto d : Divisions()) order.emplace_back(d);
  order.emplace_back(kAllDivisions);
  for (const auto& v : p.scorecard.kpis) by_div[v.division].push_back(&v);
  for (const auto& d : order) {
    auto it = by_div.find(d);
    if (it == by_div.end()) continue;
    h.Raw("<h3>" + Esc(d) + "</h3>\n");
    h.Raw(
        "<table class=\"kpi\"><thead><tr><th>KPI</th><th class=\"num\">Value</th><th "
        "class=\"num\">Target</th>"
        "<th>Met</th><th class=\"num\">Num / den</th><th class=\"num\">n</th><th>Trend (oldest → "
        "this week)</th>"
        "</tr></thead><tbody>\n");
    for (const KpiValue* v : it->second) {
      std::string target = v->target ? std::string(DirectionSymbol(v->target->direction)) + " " +
                                           FormatKpiValue(v->target->value, v->unit)
                                     : "set by management";
      std::string met =
          !v->met ? "<span class=\"muted\">–</span>"
                  : (*v->met ? "<span class=\"met\">✓</span>" : "<span class=\"missed\">✗</span>");
      char nd[64];
      std::snprintf(nd, sizeof nd, "%g / %g", v->numerator, v->denominator);
      std::string trend;
      for (auto t = v->trend.rbegin(); t != v->trend.rend(); ++t)
        trend += FormatKpiValue(t->value, v->unit) + " → ";
      trend += FormatKpiValue(v->value, v->unit);
      h.Raw("<tr data-kpi=\"" + Esc(v->key) + "\"><td>" + Esc(v->name) +
            (v->note.empty() ? "" : "<div class=\"note\">" + Esc(v->note) + "</div>") +
            "</td><td class=\"num\">" + Esc(FormatKpiValue(v->value, v->unit)) +
            "</td><td class=\"num\">" + Esc(target) + "</td><td>" + met +
            "</td><td class=\"num\">" + nd + "</td><td class=\"num\">" + N(v->sample) +
            "</td><td>" + Sparkline(*v) + " <span class=\"note\">" + Esc(trend) +
            "</span></td></tr>\n");
    }
    h.Raw("</tbody></table>\n");
  }

  h.Section("sla", "SLA breaches and items about to breach");
  if (!p.sla_available) {
    h.Empty(p.sla_note);
  } else if (p.sla_items.empty()) {
    h.Empty("No clock breached or at risk.");
  } else {
    h.Head({"State", "Kind", "Record", "Division", "Owner", "Started", "Due", "Stopped"});
    for (const auto& i : p.sla_items) {
      h.Row({std::string(SlaStateName(i.state)), std::string(i.kind), i.id, std::string(i.division),
             i.owner, T(i.started, zone), T(i.due, zone), T(i.stopped, zone)});
    }
    h.End();
  }

  h.Section("quality-flags", "Open quality flags");
  if (p.open_quality_flags.empty()) {
    h.Empty("No open quality flag.");
  } else {
    h.Head({"Case", "Division", "Account", "Owner", "Opened", "Resolution confirmed"});
    for (const auto& c : p.open_quality_flags) {
      h.Row({c.id, c.division, c.account_id, c.owner, T(c.opened, zone),
             T(c.resolution_confirmed, zone)});
    }
    h.End();
  }

  h.Section("next-actions", "Overdue next actions by person");
  if (p.overdue.empty()) {
    h.Empty("No overdue next action.");
  } else {
    std::string person = "\x01";
    for (const auto& a : p.overdue) {
      if (a.owner != person) {
        if (person != "\x01") h.End();
        person = a.owner;
        int n = 0;
        for (const auto& x : p.overdue) n += x.owner == person ? 1 : 0;
        h.Raw("<h3>" + Esc(person.empty() ? "(nobody)" : person) + " — " + N(n) + "</h3>\n");
        h.Head({"Due", "Next action", "Interaction", "Contact", "Division"});
      }
      h.Row({T(a.due, zone), a.next_action, a.interaction_id, a.contact_id, a.division});
    }
    h.End();
  }

  h.Section("leads", "New and unrouted leads");
  h.Raw("<p>" + N(int64_t(p.new_leads.size())) + " new lead(s) this week, " + N(p.unrouted) +
        " without an owner.</p>\n");
  if (!p.new_leads.empty()) {
    h.Head({"Opportunity", "Division", "Created", "Owner", "Routed", "First owner response"});
    for (const auto& o : p.new_leads) {
      bool unrouted = o.owner.find_first_not_of(" \t") == std::string::npos;
      h.Row({o.id, o.division, T(o.created, zone), unrouted ? "—" : o.owner,
             unrouted ? "unrouted" : "yes", T(o.first_response, zone)});
    }
    h.End();
  }

  h.Section("deals", "Won and lost deals, ownership changes");
  char amount[48];
  h.Raw("<p>" + N(int64_t(p.won.size())) + " won, " + N(int64_t(p.lost.size())) + " lost.</p>\n");
  if (!p.won.empty() || !p.lost.empty()) {
    h.Head({"Opportunity", "Outcome", "Division", "Account", "Owner", "Amount", "Closed",
            "Lost reason"});
    for (const auto* list : {&p.won, &p.lost}) {
      for (const auto& o : *list) {
        if (o.amount) {
          std::snprintf(amount, sizeof amount, "%.2f", *o.amount);
        } else {
          std::snprintf(amount, sizeof amount, "—");
        }
        h.Row({o.id, o.outcome, o.division, o.account_id, o.owner, amount, T(o.closed, zone),
               o.lost_reason});
      }
    }
    h.End();
  }
  h.Raw("<h3>Ownership changes</h3>\n");
  if (p.ownership_changes.empty()) {
    h.Empty("No account changed owner this week.");
  } else {
    h.Head({"Account", "From", "To", "When", "By", "Reason"});
    for (const auto& e : p.ownership_changes) {
      h.Row({e.entity_id, e.before, e.after, T(e.at, zone), e.actor, e.reason});
    }
    h.End();
  }

  h.Section("adoption", "Adoption: interactions logged");
  h.Raw("<p>" + N(p.interactions_this_week) + " interaction(s) this week, " +
        N(p.interactions_last_week) + " last week.</p>\n");
  if (!p.adoption.empty()) {
    h.Head({"Person", "Division", "This week", "Last week", "Change"});
    for (const auto& a : p.adoption) {
      h.Row({a.person.empty() ? "(not recorded)" : a.person,
             a.division.empty() ? "(none)" : a.division, N(a.this_week), N(a.last_week),
             (a.this_week >= a.last_week ? "+" : "") + N(a.this_week - a.last_week)});
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

  h.Section("data-quality", "Data quality");
  h.Head({"Measure", "Value"});
  h.Row({"Probable duplicate account clusters", N(int64_t(p.duplicate_accounts.size()))});
  h.Row({"Probable duplicate contact clusters", N(int64_t(p.duplicate_contacts.size()))});
  h.Row({"Accounts missing an ERP Customer ID", N(p.accounts_missing_erp)});
  h.Row({"Steward queue (proposed ERP links)",
         p.erp_available && p.erp.steward_queue ? N(*p.erp.steward_queue) : "not available"});
  h.Row({"Last ERP customers sync",
         p.erp_available ? T(p.erp.customers_synced, zone) : "not available"});
  h.Row({"Last ERP orders sync", p.erp_available ? T(p.erp.orders_synced, zone) : "not available"});
  h.End();
  if (!p.erp_available) h.Raw("<p class=\"note\">" + Esc(p.erp_note) + "</p>\n");
  if (!p.duplicate_accounts.empty() || !p.duplicate_contacts.empty()) {
    h.Head({"Kind", "Records", "Score", "Why"});
    for (const auto* list : {&p.duplicate_accounts, &p.duplicate_contacts}) {
      for (const auto& c : *list) {
        std::string ids;
        for (const auto& id : c.ids) ids += (ids.empty() ? "" : ", ") + id;
        char sc[16];
        std::snprintf(sc, sizeof sc, "%.2f", c.score);
        h.Row({list == &p.duplicate_accounts ? "accounts" : "contacts", ids, sc, c.why});
      }
    }
    h.End();
  }
  if (!p.accounts_missing_erp_ids.empty()) {
    std::string ids;
    for (const auto& id : p.accounts_missing_erp_ids) ids += (ids.empty() ? "" : ", ") + id;
    h.Raw("<p class=\"note\">Missing ERP Customer ID: " + Esc(ids) + "</p>\n");
  }

  h.Section("health", "The hub's own health (seed, Risk 4: scalability triggers)");
  h.Head({"Trigger", "Measured", "True?"});
  for (const auto& t : p.triggers) {
    h.Row({t.name, t.measured, !t.tripped ? "unknown" : (*t.tripped ? "yes" : "no")});
  }
  h.End();
  h.Raw("<p><strong>" + Esc(p.health_verdict) +
        "</strong></p>\n<h3>Slowest queries of this pack</h3>\n");
  h.Head({"Query", "Time (ms)"});
  for (const auto& q : p.slowest) {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f", q.millis);
    h.Row({q.name, ms});
  }
  h.End();
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
