// The voice of the customer in the .xlsx pack: the figures as numbers with formats, and native
// charts (a column chart of NPS by division, a line chart of each division's emotion curve)
// that plot the cells beside them, so the chart and its data stay together when edited.
#include <algorithm>
#include <cstdio>

#include "domain/division.h"
#include "render/review_format.h"
#include "render/review_xlsx_parts.h"

namespace cx::review_xlsx {
namespace {

// Rows kept for one division's curve block: its chart is about 15 rows high.
constexpr int kCurveBlockRows = 17;

lxw_format* NumberFormat(lxw_workbook* wb, const char* num_format) {
  lxw_format* f = workbook_add_format(wb);
  format_set_num_format(f, num_format);
  return f;
}

// "=Voice!$A$5:$A$10"
std::string Range(const char* sheet, int r0, int c0, int r1, int c1) {
  return std::string("=") + sheet + "!" + Cell(r0, c0) + ":" + Cell(r1, c1);
}

}  // namespace

void VoiceSheets(lxw_workbook* wb, lxw_format* bold, const std::string& header,
                 const ReviewPack& p) {
  const ReviewVoice& v = p.voice;
  lxw_format* points = NumberFormat(wb, XlsxKpiFormat("points"));
  lxw_format* ratio = NumberFormat(wb, XlsxKpiFormat("ratio"));
  lxw_format* count = NumberFormat(wb, "#,##0");
  lxw_format* naira = NumberFormat(wb, kXlsxNairaFormat);
  lxw_format* emotion = NumberFormat(wb, "+0.00;-0.00;0.00");
  lxw_format* dec = NumberFormat(wb, "0.00");
  const char* kVoice = "Voice";

  // Voice: NPS and CSAT by division, then one block per division's curve.
  Sheet vs(wb, kVoice, bold, header);
  worksheet_set_column(vs.ws(), 0, 0, 22, nullptr);
  worksheet_set_column(vs.ws(), 1, 7, 11, nullptr);
  worksheet_set_column(vs.ws(), 8, 8, 30, nullptr);
  vs.Title("Voice of the customer, week " + p.week_name + " (" + PeriodLabel(v.week) +
           "); emotion curves also for the quarter to date (" + PeriodLabel(v.quarter) + ")");
  vs.Next();
  vs.Title("NPS and CSAT by division (the week)");
  vs.Titles({"Division", "NPS", "NPS answers", "Promoters", "Detractors", "CSAT", "CSAT answers",
             "", "Note"});
  const int first = vs.row();
  auto scores_row = [&](const std::string& label, const FeedbackGroupScores* g) {
    vs.Str(0, label);
    if (!g || (g->nps_n == 0 && g->csat_n == 0)) {
      vs.Str(8, "no NPS or CSAT feedback this week");
    } else {
      vs.Num(1, g->nps, points);
      vs.Num(2, double(g->nps_n), count);
      vs.Num(3, double(g->promoters), count);
      vs.Num(4, double(g->detractors), count);
      vs.Num(5, g->csat, ratio);
      vs.Num(6, double(g->csat_n), count);
      if (!g->nps) vs.Str(8, "no NPS answers this week");
    }
    vs.Next();
  };
  for (auto d : Divisions()) scores_row(std::string(d), v.ScoresOf(std::string(d)));
  if (const FeedbackGroupScores* none = v.ScoresOf("")) scores_row("(no division)", none);
  scores_row("All divisions", &v.total);
  const int last = vs.row() - 1;
  {
    lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
    lxw_chart_series* s = chart_add_series(chart, Range(kVoice, first, 0, last, 0).c_str(),
                                           Range(kVoice, first, 1, last, 1).c_str());
    chart_series_set_name(s, "NPS");
    chart_series_set_labels(s);
    chart_series_set_labels_num_format(s, "+0;-0;0");
    chart_title_set_name(chart, ("NPS by division, " + p.week_name).c_str());
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    chart_axis_set_min(chart->y_axis, -100);
    chart_axis_set_max(chart->y_axis, 100);
    chart_axis_set_major_unit(chart->y_axis, 50);
    chart_axis_set_label_position(chart->x_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);
    chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
    lxw_chart_options opt = {};
    opt.x_scale = 1.0;
    opt.y_scale = 0.9;
    worksheet_insert_chart_opt(vs.ws(), lxw_row_t(first - 2), 10, chart, &opt);
  }
  vs.Next();
  vs.Next();
  vs.Next();
  vs.Next();
  vs.Next();
  vs.Title("Emotion curve along each journey (−2 … +2; blank: no answers at that stage)");
  vs.Next();
  for (size_t i = 0; i < v.curves.size(); ++i) {
    const EmotionCurve& week = v.curves[i];
    const EmotionCurve& quarter = v.quarter_curves[i];
    const int block = vs.row();
    vs.Title(week.division);
    vs.Titles({"Stage", "This week", "n (week)", "Quarter to date", "n (quarter)"});
    const int s0 = vs.row();
    for (size_t k = 0; k < week.stages.size(); ++k) {
      vs.Str(0, week.stages[k].stage);
      vs.Num(1, week.stages[k].mean, emotion);
      vs.Num(2, double(week.stages[k].n), count);
      if (k < quarter.stages.size()) {
        vs.Num(3, quarter.stages[k].mean, emotion);
        vs.Num(4, double(quarter.stages[k].n), count);
      }
      vs.Next();
    }
    const int s1 = vs.row() - 1;
    int64_t nw = 0, nq = 0;
    for (const auto& s : week.stages) nw += s.n;
    for (const auto& s : quarter.stages) nq += s.n;
    if (nw == 0) {
      vs.Str(0, nq == 0 ? "No emotion feedback this week or this quarter."
                        : "No emotion feedback this week.");
      vs.Next();
    }
    if (s1 >= s0) {
      lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_LINE);
      lxw_chart_series* sw = chart_add_series(chart, Range(kVoice, s0, 0, s1, 0).c_str(),
                                              Range(kVoice, s0, 1, s1, 1).c_str());
      chart_series_set_name(sw, "This week");
      lxw_chart_line wl = {};
      wl.color = 0x1F5FA8;
      wl.width = 2.5;
      chart_series_set_line(sw, &wl);
      chart_series_set_marker_type(sw, LXW_CHART_MARKER_CIRCLE);
      chart_series_set_labels(sw);
      chart_series_set_labels_position(sw, LXW_CHART_LABEL_POSITION_ABOVE);
      chart_series_set_labels_num_format(sw, "+0.00;-0.00;0.00");
      lxw_chart_series* sq = chart_add_series(chart, Range(kVoice, s0, 0, s1, 0).c_str(),
                                              Range(kVoice, s0, 3, s1, 3).c_str());
      chart_series_set_name(sq, "Quarter to date");
      lxw_chart_line ql = {};
      ql.color = 0x8A8F96;
      ql.width = 1.5;
      ql.dash_type = LXW_CHART_LINE_DASH_DASH;
      chart_series_set_line(sq, &ql);
      chart_series_set_marker_type(sq, LXW_CHART_MARKER_CIRCLE);
      chart_series_set_marker_size(sq, 4);
      chart_title_set_name(chart, ("Emotion curve: " + week.division + ", " + p.week_name).c_str());
      chart_axis_set_min(chart->y_axis, -2);
      chart_axis_set_max(chart->y_axis, 2);
      chart_axis_set_major_unit(chart->y_axis, 1);
      chart_axis_set_num_format(chart->y_axis, "+0;-0;0");
      chart_axis_set_label_position(chart->x_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);
      chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
      chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
      lxw_chart_options opt = {};
      opt.x_scale = 1.0;
      opt.y_scale = 1.0;
      worksheet_insert_chart_opt(vs.ws(), lxw_row_t(block), 6, chart, &opt);
    }
    while (vs.row() < block + kCurveBlockRows) vs.Next();
  }

  // Touchpoints: the week's ranking, every touchpoint, as `touchpoints --json` gives it.
  Sheet ts(wb, "Touchpoints", bold, header);
  ts.Head({{"Rank", 6},
           {"Verdict", 11},
           {"Touchpoint ID", 13},
           {"Touchpoint", 30},
           {"Division", 16},
           {"Stage", 12},
           {"Budget (week)", 14},
           {"Answers", 9},
           {"NPS", 8},
           {"Mean emotion", 9},
           {"Leads", 7},
           {"Won", 6},
           {"Won amount", 15},
           {"Won per ₦", 10},
           {"Cost per lead", 14}});
  for (size_t i = 0; i < v.ranking.touchpoints.size(); ++i) {
    const TouchpointScore& t = v.ranking.touchpoints[i];
    ts.Num(0, double(i + 1), count);
    ts.Str(1, t.verdict);
    ts.Str(2, t.id);
    ts.Str(3, t.name);
    ts.Str(4, t.division);
    ts.Str(5, t.stage);
    ts.Num(6, t.budget, naira);
    ts.Num(7, double(t.responses), count);
    ts.Num(8, t.nps, points);
    ts.Num(9, t.mean_emotion, emotion);
    ts.Num(10, double(t.leads), count);
    ts.Num(11, double(t.won), count);
    ts.Num(12, t.won_amount, naira);
    ts.Num(13, t.won_amount_per_naira, dec);
    ts.Num(14, t.cost_per_lead, naira);
    ts.Next();
  }
  if (v.ranking.touchpoints.empty()) ts.Str(0, "No touchpoints recorded.");

  // Key results: the strategy in force at the week's end, read for the quarter to date.
  Sheet ks(wb, "Key results", bold, header);
  ks.Head({{"Key result", 36},
           {"KPI", 28},
           {"Division", 16},
           {"Value", 10},
           {"Target", 10},
           {"Direction", 9},
           {"Met", 9},
           {"Due", 11},
           {"Note", 40}});
  if (!v.strategy) {
    ks.Str(0, v.strategy_note);
  } else {
    for (const auto& k : v.strategy->key_results) {
      lxw_format* f = NumberFormat(wb, XlsxKpiFormat(k.unit));
      ks.Str(0, k.kr.title);
      ks.Str(1, k.kpi_name);
      ks.Str(2, k.kr.division);
      ks.Num(3, k.value, f);
      if (!k.value) ks.Str(3, "no data");
      ks.Num(4, k.target, f);
      if (k.direction) ks.Str(5, std::string(DirectionName(*k.direction)));
      ks.Str(6, !k.met ? "no data" : (*k.met ? "met" : "not met"));
      ks.Str(7, FormatDate(k.kr.due));
      ks.Str(8, k.note);
      ks.Next();
    }
    ks.Next();
    ks.Str(0, "Strategy version " + std::to_string(v.strategy->saved.version) +
                  " (the latest), saved by " + v.strategy->saved_by_name + "; values for " +
                  PeriodLabel(v.strategy->period));
    ks.Next();
  }
}

}  // namespace cx::review_xlsx
