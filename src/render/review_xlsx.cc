// Writes the weekly review pack as .xlsx with libxlsxwriter: a sheet per section and native trend
// charts.
#include "render/review_xlsx.h"

#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "base/safe_text.h"
#include "domain/division.h"
#include "render/review_format.h"
#include "render/review_xlsx_parts.h"

namespace cx {

using namespace review_xlsx;  // NOLINT(google-build-using-namespace): the pack's own pieces

Status WriteReviewXlsx(const ReviewPack& p, const Zone& zone, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return Internal(path + ": cannot be created");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* naira = workbook_add_format(wb);
  format_set_num_format(naira, kXlsxNairaFormat);
  lxw_format* count = workbook_add_format(wb);
  format_set_num_format(count, "#,##0");
  lxw_format* dec = workbook_add_format(wb);
  format_set_num_format(dec, "0.00");
  lxw_format* one = workbook_add_format(wb);
  format_set_num_format(one, "#,##0.0");
  std::map<std::string, lxw_format*> kpi_formats;
  auto fmt = [&](const std::string& unit) {
    auto& f = kpi_formats[unit];
    if (!f) {
      f = workbook_add_format(wb);
      format_set_num_format(f, XlsxKpiFormat(unit));
    }
    return f;
  };
  // A KPI's numerator or denominator: naira, hours/days with one decimal, else a count.
  auto part_fmt = [&](const KpiValue& v, double x, bool numerator) {
    if (KpiCountsMoney(v)) return naira;
    if (numerator && (v.unit == "hours" || v.unit == "days")) return fmt(v.unit);
    return std::fabs(x - std::round(x)) < 1e-9 ? count : one;
  };
  std::string as_of = p.week_over ? "as of the week's end, " + FormatDate(p.week.to) + " 24:00"
                                  : "as of " + T(p.as_of, zone) + " (week in progress)";
  std::string header =
      "&LWeekly CX review " + p.week_name + " (" + PeriodLabel(p.week) + ")&R" + as_of;

  // Scorecard.
  Sheet sc(wb, "Scorecard", bold, header);
  sc.Title("Weekly CX review " + p.week_name + " (" + PeriodLabel(p.week) + "), " + as_of);
  sc.Next();
  sc.Head({{"Division", 16},
           {"KPI", 32},
           {"Value", 10},
           {"Target", 10},
           {"Direction", 9},
           {"Met", 5},
           {"Numerator", 13},
           {"Denominator", 13},
           {"Sample", 8},
           {"Unit", 9},
           {"Key", 22},
           {"Note", 50}});
  for (const auto& v : p.scorecard.kpis) {
    sc.Str(0, v.division);
    sc.Str(1, v.name);
    sc.Num(2, v.value, fmt(v.unit));
    if (!v.value) sc.Str(2, "no data");
    if (v.target) {
      sc.Num(3, v.target->value, fmt(v.unit));
      sc.Str(4, std::string(DirectionName(v.target->direction)));
    } else {
      sc.Str(3, "set by management");
    }
    sc.Str(5, !v.met ? "" : (*v.met ? "✓" : "✗"));
    sc.Num(6, v.numerator, part_fmt(v, v.numerator, true));
    sc.Num(7, v.denominator, part_fmt(v, v.denominator, false));
    sc.Num(8, double(v.sample), count);
    sc.Str(9, v.unit);
    sc.Str(10, v.key);
    sc.Str(11, v.note);
    sc.Next();
  }

  // Trend: one row per KPI and division, one column per week (oldest first), one native chart per
  // row.
  Sheet tr(wb, "Trend", bold, header);
  std::vector<Period> periods;
  if (!p.scorecard.kpis.empty()) {
    const auto& first = p.scorecard.kpis.front();
    for (auto it = first.trend.rbegin(); it != first.trend.rend(); ++it)
      periods.push_back(it->period);
  }
  periods.push_back(p.week);
  {
    worksheet_write_string(tr.ws(), 0, 0, "Division", bold);
    worksheet_write_string(tr.ws(), 0, 1, "KPI", bold);
    for (size_t i = 0; i < periods.size(); ++i) {
      worksheet_write_string(tr.ws(), 0, lxw_col_t(2 + i), IsoWeekName(periods[i].from).c_str(),
                             bold);
    }
    worksheet_freeze_panes(tr.ws(), 1, 2);
    tr.Next();
  }
  int chart_row = int(p.scorecard.kpis.size()) + 3;
  int n = 0;
  for (const auto& v : p.scorecard.kpis) {
    tr.Str(0, v.division);
    tr.Str(1, v.name);
    int c = 2;
    for (auto it = v.trend.rbegin(); it != v.trend.rend(); ++it)
      tr.Num(c++, it->value, fmt(v.unit));
    tr.Num(c, v.value, fmt(v.unit));
    int row = tr.row();
    lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_LINE);
    std::string cats = "=Trend!" + Cell(0, 2) + ":" + Cell(0, 2 + int(periods.size()) - 1);
    std::string vals = "=Trend!" + Cell(row, 2) + ":" + Cell(row, 2 + int(periods.size()) - 1);
    lxw_chart_series* series = chart_add_series(chart, cats.c_str(), vals.c_str());
    std::string title = v.division + ": " + v.name;
    chart_series_set_name(series, v.name.c_str());
    chart_title_set_name(chart, title.c_str());
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
    lxw_chart_options opt = {};
    opt.x_scale = 0.75;
    opt.y_scale = 0.75;
    worksheet_insert_chart_opt(tr.ws(), lxw_row_t(chart_row + (n / 3) * 12), lxw_col_t((n % 3) * 6),
                               chart, &opt);
    ++n;
    tr.Next();
  }
  worksheet_set_column(tr.ws(), 0, 0, 16, nullptr);
  worksheet_set_column(tr.ws(), 1, 1, 32, nullptr);
  worksheet_set_column(tr.ws(), 2, lxw_col_t(1 + periods.size()), 10, nullptr);

  Sheet sla(wb, "SLA", bold, header);
  if (!p.sla_available) {
    sla.Title(p.sla_note);
  } else {
    sla.Head({{"Clock", 22},
              {"State", 9},
              {"Kind", 11},
              {"Record", 10},
              {"Deal / case", 26},
              {"Customer", 30},
              {"Division", 16},
              {"Owner", 16},
              {"Started", 16},
              {"Due", 16},
              {"Stopped", 16}});
    for (const auto& i : p.sla_items) {
      bool kase = i.kind == "quality-flag";
      sla.Str(0, i.stopped ? "breached this week" : "running at week's end");
      sla.Str(1, std::string(SlaStateName(i.state)));
      sla.Str(2, std::string(i.kind));
      sla.Str(3, i.id);
      sla.Str(4, kase ? p.names.Case(i.id) : p.names.Opportunity(i.id));
      sla.Str(5, kase ? p.names.CustomerOfCase(i.id) : p.names.CustomerOfOpportunity(i.id));
      sla.Str(6, std::string(i.division));
      sla.Str(7, i.owner);
      sla.Str(8, T(i.started, zone));
      sla.Str(9, T(i.due, zone));
      sla.Str(10, T(i.stopped, zone));
      sla.Next();
    }
    if (int64_t(p.sla_items.size()) < p.sla_total) {
      sla.Str(0, std::to_string(p.sla_items.size()) + " of " + std::to_string(p.sla_total) +
                     " listed: every clock at risk or breached this week, then the most recent "
                     "older breaches");
      sla.Next();
    }
  }

  Sheet qf(wb, "Quality flags", bold, header);
  qf.Head({{"Case", 10},
           {"Summary", 40},
           {"Customer", 30},
           {"Account", 10},
           {"Division", 10},
           {"Owner", 16},
           {"Opened", 16},
           {"Resolution confirmed", 19}});
  for (const auto& c : p.open_quality_flags) {
    qf.Str(0, c.id);
    qf.Str(1, p.names.Case(c.id));
    qf.Str(2, p.names.Account(c.account_id));
    qf.Str(3, c.account_id);
    qf.Str(4, c.division);
    qf.Str(5, c.owner);
    qf.Str(6, T(c.opened, zone));
    qf.Str(7, T(c.resolution_confirmed, zone));
    qf.Next();
  }

  Sheet na(wb, "Next actions", bold, header);
  na.Head({{"Person", 18},
           {"Due", 16},
           {"Next action", 30},
           {"Contact", 20},
           {"Customer", 30},
           {"Contact ID", 10},
           {"Interaction", 10},
           {"Division", 16}});
  for (const auto& a : p.overdue) {
    na.Str(0, a.owner);
    na.Str(1, T(a.due, zone));
    na.Str(2, a.next_action);
    na.Str(3, p.names.Contact(a.contact_id));
    na.Str(4, p.names.CustomerOfContact(a.contact_id));
    na.Str(5, a.contact_id);
    na.Str(6, a.interaction_id);
    na.Str(7, a.division);
    na.Next();
  }
  na.Next();
  na.Title("Overdue at the week's end, by person (" + std::to_string(p.overdue_total) + ")");
  na.Titles({"Person", "Overdue", "Fell due this week", "Oldest due"});
  for (const auto& c : p.overdue_by_person) {
    na.Str(0, c.person);
    na.Num(1, double(c.overdue), count);
    na.Num(2, double(c.fell_due_this_week), count);
    na.Str(3, T(c.oldest_due, zone));
    na.Next();
  }

  Sheet ld(wb, "Leads", bold, header);
  ld.Head({{"Opportunity", 11},
           {"Deal", 24},
           {"Customer", 30},
           {"Division", 16},
           {"Created", 16},
           {"Owner", 16},
           {"Routed", 9},
           {"First owner response", 19}});
  for (const auto& o : p.new_leads) {
    bool unrouted = o.owner.find_first_not_of(" \t") == std::string::npos;
    ld.Str(0, o.id);
    ld.Str(1, p.names.Opportunity(o.id));
    ld.Str(2, p.names.CustomerOfOpportunity(o.id));
    ld.Str(3, o.division);
    ld.Str(4, T(o.created, zone));
    ld.Str(5, o.owner);
    ld.Str(6, unrouted ? "unrouted" : "yes");
    ld.Str(7, T(o.first_response, zone));
    ld.Next();
  }

  Sheet dl(wb, "Deals", bold, header);
  dl.Head({{"Opportunity", 11},
           {"Outcome", 8},
           {"Deal", 24},
           {"Customer", 30},
           {"Division", 16},
           {"Owner", 16},
           {"Amount", 14},
           {"Closed", 16},
           {"Lost reason", 20}});
  for (const auto* list : {&p.won, &p.lost}) {
    for (const auto& o : *list) {
      dl.Str(0, o.id);
      dl.Str(1, o.outcome);
      dl.Str(2, p.names.Opportunity(o.id));
      dl.Str(3, p.names.CustomerOfOpportunity(o.id));
      dl.Str(4, o.division);
      dl.Str(5, o.owner);
      dl.Num(6, o.amount, naira);
      dl.Str(7, T(o.closed, zone));
      dl.Str(8, o.lost_reason);
      dl.Next();
    }
  }
  dl.Next();
  dl.Title("Ownership changes");
  dl.Titles({"Account", "Customer", "From", "To", "When", "By", "Reason"});
  for (const auto& e : p.ownership_changes) {
    dl.Str(0, e.entity_id);
    dl.Str(1, p.names.Account(e.entity_id));
    dl.Str(2, e.before);
    dl.Str(3, e.after);
    dl.Str(4, T(e.at, zone));
    dl.Str(5, e.actor);
    dl.Str(6, e.reason);
    dl.Next();
  }

  Sheet ad(wb, "Adoption", bold, header);
  ad.Head({{"Person", 24}, {"Division", 18}, {"This week", 10}, {"Last week", 10}, {"Change", 9}});
  for (const auto& a : p.adoption) {
    ad.Str(0, a.person.empty() ? "(not recorded)" : a.person);
    ad.Str(1, a.division.empty() ? "(none)" : a.division);
    ad.Num(2, double(a.this_week), count);
    ad.Num(3, double(a.last_week), count);
    ad.Num(4, double(a.this_week - a.last_week), count);
    ad.Next();
  }
  ad.Str(0, "Total");
  ad.Num(2, double(p.interactions_this_week), count);
  ad.Num(3, double(p.interactions_last_week), count);
  ad.Next();
  ad.Next();
  ad.Title("Logged nothing this week");
  for (const auto& u : p.silent_users) {
    ad.Str(0, u);
    ad.Next();
  }
  ad.Next();
  ad.Title("Staff feedback on the hub: " + std::to_string(p.hub_feedback_this_week) +
           " this week, " + std::to_string(p.hub_feedback_last_week) + " last week");
  ad.Titles({"Person", "Division", "Score", "When", "Comment"});
  for (const auto& f : p.hub_feedback) {
    ad.Str(0, f.given_by);
    ad.Str(1, f.feedback.division);
    ad.Num(2, f.feedback.score, count);
    ad.Str(3, T(f.feedback.date, zone));
    ad.Str(4, f.feedback.comment);
    ad.Next();
  }
  if (p.hub_feedback_mean) {
    ad.Str(0, "Mean score this week");
    ad.Num(2, *p.hub_feedback_mean, one);
    ad.Next();
  }

  Sheet dq(wb, "Data quality", bold, header);
  dq.Head({{"Measure", 42}, {"Value", 40}, {"Score", 7}, {"Why", 40}});
  auto measure = [&](const std::string& name, std::optional<double> v,
                     const std::string& text = "") {
    dq.Str(0, name);
    if (v) {
      dq.Num(1, v, count);
    } else {
      dq.Str(1, text);
    }
    dq.Next();
  };
  measure("Probable duplicate account clusters", double(p.duplicate_accounts.size()));
  measure("Probable duplicate contact clusters", double(p.duplicate_contacts.size()));
  measure("Accounts missing an ERP Customer ID", double(p.accounts_missing_erp));
  measure("Steward queue (proposed ERP links)",
          p.erp_available && p.erp.steward_queue
              ? std::optional<double>(double(*p.erp.steward_queue))
              : std::nullopt,
          "not available");
  measure("Last ERP customers sync (by the week's end)", std::nullopt,
          p.erp_available ? T(p.erp.customers_synced, zone) : "not available");
  measure("Last ERP orders sync (by the week's end)", std::nullopt,
          p.erp_available ? T(p.erp.orders_synced, zone) : "not available");
  dq.Next();
  dq.Title("Probable duplicates");
  dq.Titles({"Kind", "Records", "Score", "Why"});
  for (const auto* list : {&p.duplicate_accounts, &p.duplicate_contacts}) {
    bool accounts = list == &p.duplicate_accounts;
    for (const auto& c : *list) {
      std::string ids;
      for (const auto& id : c.ids) {
        std::string name = accounts ? p.names.Account(id) : p.names.Contact(id);
        ids += (ids.empty() ? "" : "; ") + id + (name.empty() ? "" : " " + name);
      }
      dq.Str(0, accounts ? "accounts" : "contacts");
      dq.Str(1, ids);
      dq.Num(2, c.score, dec);
      dq.Str(3, c.why);
      dq.Next();
    }
  }
  dq.Next();
  dq.Title("Accounts missing an ERP Customer ID");
  dq.Titles({"Account", "Customer"});
  for (const auto& id : p.accounts_missing_erp_ids) {
    dq.Str(0, id);
    dq.Str(1, p.names.Account(id));
    dq.Next();
  }

  Sheet he(wb, "Health", bold, header);
  he.Head({{"Trigger", 60}, {"Measured", 36}, {"True?", 8}});
  for (const auto& t : p.triggers) {
    he.Str(0, t.name);
    he.Str(1, t.measured);
    he.Str(2, !t.tripped ? "unknown" : (*t.tripped ? "yes" : "no"));
    he.Next();
  }
  he.Str(0, p.health_verdict);
  he.Next();
  he.Next();
  he.Str(0, "Database size (bytes)");
  he.Num(1, double(p.db_bytes), count);
  he.Next();
  he.Next();
  he.Titles({"Slowest query", "Time (ms)"});
  for (const auto& q : p.slowest) {
    he.Str(0, q.name);
    he.Num(1, q.millis, one);
    he.Next();
  }

  // After Health, so the sheets before keep their places for those who read them by position.
  VoiceSheets(wb, bold, header, p);

  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return Internal(path + ": cannot be written: " + lxw_strerror(err));
  return Status::Ok();
}

}  // namespace cx
