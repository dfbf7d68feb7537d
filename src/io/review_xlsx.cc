// Writes the weekly review pack as .xlsx with libxlsxwriter: a sheet per section and native trend
// charts.
#include "io/review_xlsx.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <map>

#include "domain/division.h"

namespace cx {
namespace {

class Sheet {
 public:
  Sheet(lxw_workbook* wb, const char* name, lxw_format* bold)
      : ws_(workbook_add_worksheet(wb, name)), bold_(bold) {}
  lxw_worksheet* ws() { return ws_; }
  bool ok() const { return ws_ != nullptr; }
  void Head(std::initializer_list<const char*> cols) {
    int c = 0;
    for (const char* s : cols) {
      worksheet_write_string(ws_, lxw_row_t(row_), lxw_col_t(c), s, bold_);
      worksheet_set_column(ws_, lxw_col_t(c), lxw_col_t(c), 18, nullptr);
      ++c;
    }
    ++row_;
  }
  void Title(const std::string& s) {
    worksheet_write_string(ws_, lxw_row_t(row_++), 0, s.c_str(), bold_);
  }
  void Str(int col, const std::string& s) {
    if (!s.empty())
      worksheet_write_string(ws_, lxw_row_t(row_), lxw_col_t(col), s.c_str(), nullptr);
  }
  void Num(int col, std::optional<double> v, lxw_format* f = nullptr) {
    if (v) worksheet_write_number(ws_, lxw_row_t(row_), lxw_col_t(col), *v, f);
  }
  void Next() { ++row_; }
  int row() const { return row_; }

 private:
  lxw_worksheet* ws_;
  lxw_format* bold_;
  int row_ = 0;
};

std::string T(const std::optional<Timestamp>& t, const Zone& z) {
  if (!t) return "";
  std::string s = FormatTime(*t, z);
  return s.size() >= 16 ? s.substr(0, 10) + " " + s.substr(11, 5) : s;
}

// "$A$1"-style absolute cell name.
std::string Cell(int row, int col) {
  char buf[32];
  lxw_rowcol_to_cell_abs(buf, lxw_row_t(row), lxw_col_t(col), 1, 1);
  return buf;
}

}  // namespace

Status WriteReviewXlsx(const ReviewPack& p, const Zone& zone, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return Internal(path + ": cannot be created");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* pct = workbook_add_format(wb);
  format_set_num_format(pct, "0.0%");
  lxw_format* dec = workbook_add_format(wb);
  format_set_num_format(dec, "0.00");
  auto fmt = [&](const std::string& unit) { return unit == "ratio" ? pct : dec; };

  // Scorecard.
  Sheet sc(wb, "Scorecard", bold);
  sc.Title("Weekly CX review " + p.week_name + " (" + PeriodLabel(p.week) + "), as of " +
           T(p.as_of, zone));
  sc.Next();
  sc.Head({"Division", "Key", "KPI", "Value", "Unit", "Direction", "Target", "Met", "Numerator",
           "Denominator", "Sample", "Note"});
  for (const auto& v : p.scorecard.kpis) {
    sc.Str(0, v.division);
    sc.Str(1, v.key);
    sc.Str(2, v.name);
    sc.Num(3, v.value, fmt(v.unit));
    if (!v.value) sc.Str(3, "no data");
    sc.Str(4, v.unit);
    if (v.target) {
      sc.Str(5, std::string(DirectionName(v.target->direction)));
      sc.Num(6, v.target->value, fmt(v.unit));
    } else {
      sc.Str(6, "set by management");
    }
    sc.Str(7, !v.met ? "" : (*v.met ? "✓" : "✗"));
    sc.Num(8, v.numerator);
    sc.Num(9, v.denominator);
    sc.Num(10, double(v.sample));
    sc.Str(11, v.note);
    sc.Next();
  }
  worksheet_set_column(sc.ws(), 2, 2, 32, nullptr);
  worksheet_set_column(sc.ws(), 11, 11, 50, nullptr);

  // Trend: one row per KPI and division, one column per week (oldest first), one native chart per
  // row.
  Sheet tr(wb, "Trend", bold);
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
  worksheet_set_column(tr.ws(), 1, 1, 32, nullptr);

  Sheet sla(wb, "SLA", bold);
  if (!p.sla_available) {
    sla.Title(p.sla_note);
  } else {
    sla.Head({"State", "Kind", "Record", "Division", "Owner", "Started", "Due", "Stopped"});
    for (const auto& i : p.sla_items) {
      sla.Str(0, std::string(SlaStateName(i.state)));
      sla.Str(1, std::string(i.kind));
      sla.Str(2, i.id);
      sla.Str(3, std::string(i.division));
      sla.Str(4, i.owner);
      sla.Str(5, T(i.started, zone));
      sla.Str(6, T(i.due, zone));
      sla.Str(7, T(i.stopped, zone));
      sla.Next();
    }
  }

  Sheet qf(wb, "Quality flags", bold);
  qf.Head({"Case", "Division", "Account", "Owner", "Opened", "Resolution confirmed"});
  for (const auto& c : p.open_quality_flags) {
    qf.Str(0, c.id);
    qf.Str(1, c.division);
    qf.Str(2, c.account_id);
    qf.Str(3, c.owner);
    qf.Str(4, T(c.opened, zone));
    qf.Str(5, T(c.resolution_confirmed, zone));
    qf.Next();
  }

  Sheet na(wb, "Next actions", bold);
  na.Head({"Person", "Due", "Next action", "Interaction", "Contact", "Division"});
  for (const auto& a : p.overdue) {
    na.Str(0, a.owner);
    na.Str(1, T(a.due, zone));
    na.Str(2, a.next_action);
    na.Str(3, a.interaction_id);
    na.Str(4, a.contact_id);
    na.Str(5, a.division);
    na.Next();
  }

  Sheet ld(wb, "Leads", bold);
  ld.Head({"Opportunity", "Division", "Created", "Owner", "Routed", "First owner response"});
  for (const auto& o : p.new_leads) {
    bool unrouted = o.owner.find_first_not_of(" \t") == std::string::npos;
    ld.Str(0, o.id);
    ld.Str(1, o.division);
    ld.Str(2, T(o.created, zone));
    ld.Str(3, o.owner);
    ld.Str(4, unrouted ? "unrouted" : "yes");
    ld.Str(5, T(o.first_response, zone));
    ld.Next();
  }

  Sheet dl(wb, "Deals", bold);
  dl.Head({"Opportunity", "Outcome", "Division", "Account", "Owner", "Amount", "Closed",
           "Lost reason"});
  for (const auto* list : {&p.won, &p.lost}) {
    for (const auto& o : *list) {
      dl.Str(0, o.id);
      dl.Str(1, o.outcome);
      dl.Str(2, o.division);
      dl.Str(3, o.account_id);
      dl.Str(4, o.owner);
      dl.Num(5, o.amount);
      dl.Str(6, T(o.closed, zone));
      dl.Str(7, o.lost_reason);
      dl.Next();
    }
  }
  dl.Next();
  dl.Title("Ownership changes");
  dl.Head({"Account", "From", "To", "When", "By", "Reason"});
  for (const auto& e : p.ownership_changes) {
    dl.Str(0, e.entity_id);
    dl.Str(1, e.before);
    dl.Str(2, e.after);
    dl.Str(3, T(e.at, zone));
    dl.Str(4, e.actor);
    dl.Str(5, e.reason);
    dl.Next();
  }

  Sheet ad(wb, "Adoption", bold);
  ad.Head({"Person", "Division", "This week", "Last week", "Change"});
  for (const auto& a : p.adoption) {
    ad.Str(0, a.person.empty() ? "(not recorded)" : a.person);
    ad.Str(1, a.division.empty() ? "(none)" : a.division);
    ad.Num(2, double(a.this_week));
    ad.Num(3, double(a.last_week));
    ad.Num(4, double(a.this_week - a.last_week));
    ad.Next();
  }
  ad.Str(0, "Total");
  ad.Num(2, double(p.interactions_this_week));
  ad.Num(3, double(p.interactions_last_week));
  ad.Next();
  ad.Next();
  ad.Title("Logged nothing this week");
  for (const auto& u : p.silent_users) {
    ad.Str(0, u);
    ad.Next();
  }

  Sheet dq(wb, "Data quality", bold);
  dq.Head({"Measure", "Value"});
  auto measure = [&](const std::string& name, std::optional<double> v,
                     const std::string& text = "") {
    dq.Str(0, name);
    if (v) {
      dq.Num(1, v);
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
  measure("Last ERP customers sync", std::nullopt,
          p.erp_available ? T(p.erp.customers_synced, zone) : "not available");
  measure("Last ERP orders sync", std::nullopt,
          p.erp_available ? T(p.erp.orders_synced, zone) : "not available");
  dq.Next();
  dq.Head({"Kind", "Records", "Score", "Why"});
  for (const auto* list : {&p.duplicate_accounts, &p.duplicate_contacts}) {
    for (const auto& c : *list) {
      std::string ids;
      for (const auto& id : c.ids) ids += (ids.empty() ? "" : ", ") + id;
      dq.Str(0, list == &p.duplicate_accounts ? "accounts" : "contacts");
      dq.Str(1, ids);
      dq.Num(2, c.score, dec);
      dq.Str(3, c.why);
      dq.Next();
    }
  }
  dq.Next();
  dq.Title("Accounts missing an ERP Customer ID");
  for (const auto& id : p.accounts_missing_erp_ids) {
    dq.Str(0, id);
    dq.Next();
  }
  worksheet_set_column(dq.ws(), 0, 0, 40, nullptr);

  Sheet he(wb, "Health", bold);
  he.Head({"Trigger", "Measured", "True?"});
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
  he.Num(1, double(p.db_bytes));
  he.Next();
  he.Next();
  he.Head({"Slowest query", "Time (ms)"});
  for (const auto& q : p.slowest) {
    he.Str(0, q.name);
    he.Num(1, q.millis, dec);
    he.Next();
  }
  worksheet_set_column(he.ws(), 0, 0, 60, nullptr);

  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return Internal(path + ": cannot be written: " + lxw_strerror(err));
  return Status::Ok();
}

}  // namespace cx
