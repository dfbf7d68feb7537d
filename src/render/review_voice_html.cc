// The voice of the customer in the printable pack: NPS and CSAT per division with a bar chart,
// the emotion curve of every division's journey as an inline SVG line chart (no script: it
// prints as drawn), the week's touchpoint ranking with its verdicts and the strategy's key
// results; and the staff's feedback on the hub in the adoption section.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "domain/division.h"
#include "render/review_html_parts.h"

namespace cx::review_html {
namespace {

// Most touchpoints listed on paper (in rank order); the .xlsx pack lists them all.
constexpr size_t kTouchpointsShown = 40;

std::string Fixed(double v, const char* fmt) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}
std::string OptFixed(const std::optional<double>& v, const char* fmt) {
  return v ? Fixed(*v, fmt) : "—";
}
// SVG text content (the numbers and names drawn).
std::string Svg(const std::string& s) { return Esc(s); }

// The emotion score of a stage as people read it: "+0.50", "−1.25".
std::string Emotion(double v) {
  std::string s = Fixed(v, "%+.2f");
  if (s[0] == '-') s = "−" + s.substr(1);
  return s;
}

// NPS of every division as horizontal bars on a −100…+100 axis; a division without NPS
// answers this week says so instead of a bar.
std::string NpsChart(const ReviewVoice& v) {
  struct Bar {
    std::string label;
    std::optional<double> nps;
    int64_t n = 0;
  };
  std::vector<Bar> bars;
  for (auto d : Divisions()) {
    const FeedbackGroupScores* g = v.ScoresOf(std::string(d));
    bars.push_back({std::string(d), g ? g->nps : std::nullopt, g ? g->nps_n : 0});
  }
  bars.push_back({"All divisions", v.total.nps, v.total.nps_n});
  const double w = 700, left = 130, right = 60, row = 22, top = 18;
  const double h = top + row * double(bars.size()) + 18;
  const double plot = w - left - right;
  auto x = [&](double nps) { return left + plot * (nps + 100) / 200; };
  std::string s = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + Fixed(w, "%.0f") + " " +
                  Fixed(h, "%.0f") +
                  "\" width=\"100%\" style=\"max-height:" + Fixed(h * 0.27, "%.0f") +
                  "mm\"><title>NPS by division, " + Svg(PeriodLabel(v.week)) + "</title>";
  // Grid at −100, −50, 0, +50, +100.
  for (int g = -100; g <= 100; g += 50) {
    s += "<line x1=\"" + Fixed(x(g), "%.1f") + "\" y1=\"" + Fixed(top - 4, "%.1f") + "\" x2=\"" +
         Fixed(x(g), "%.1f") + "\" y2=\"" + Fixed(h - 16, "%.1f") + "\" stroke=\"" +
         (g == 0 ? "#555" : "#d5dbe3") + "\" stroke-width=\"" + (g == 0 ? "1.2" : "0.8") +
         "\"/><text x=\"" + Fixed(x(g), "%.1f") + "\" y=\"" + Fixed(h - 4, "%.1f") +
         "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">" +
         (g > 0   ? "+"
          : g < 0 ? "−"
                  : "") +
         std::to_string(std::abs(g)) + "</text>";
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double y = top + row * double(i);
    const bool total = i + 1 == bars.size();
    s += "<text x=\"" + Fixed(left - 6, "%.1f") + "\" y=\"" + Fixed(y + 14, "%.1f") +
         "\" font-size=\"11\" text-anchor=\"end\"" + (total ? " font-weight=\"bold\"" : "") + ">" +
         Svg(b.label) + "</text>";
    if (!b.nps) {
      s += "<text x=\"" + Fixed(x(0) + 6, "%.1f") + "\" y=\"" + Fixed(y + 14, "%.1f") +
           "\" font-size=\"10\" fill=\"#777\" font-style=\"italic\">no NPS answers this "
           "week</text>";
      continue;
    }
    const double x0 = std::min(x(0), x(*b.nps)), x1 = std::max(x(0), x(*b.nps));
    s += "<rect x=\"" + Fixed(x0, "%.1f") + "\" y=\"" + Fixed(y + 3, "%.1f") + "\" width=\"" +
         Fixed(std::max(x1 - x0, 1.0), "%.1f") + "\" height=\"15\" fill=\"" +
         (*b.nps >= 0 ? "#2e7d4f" : "#b3261e") + "\"/>";
    // The figure beside the bar's end, away from zero; a long negative bar would push it into the
    // division's name, so it goes inside the bar in white.
    const bool pos = *b.nps >= 0, inside = !pos && x0 - 80 < left;
    s += "<text x=\"" +
         Fixed(pos      ? x1 + 4
               : inside ? x0 + 4
                        : x0 - 4,
               "%.1f") +
         "\" y=\"" + Fixed(y + 14, "%.1f") + "\" font-size=\"10.5\" text-anchor=\"" +
         (pos || inside ? "start" : "end") + "\"" + (inside ? " fill=\"#fff\"" : "") + ">" +
         Svg(FormatKpiValue(b.nps, "points")) + " (n=" + N(b.n) + ")</text>";
  }
  return s + "</svg>\n";
}

// One division's emotion curve: its journey's stages across, −2…+2 up; the week as a solid
// line with its means written at the points, the quarter to date as a dashed grey line. A
// stage without answers leaves a gap, never a made-up zero.
std::string CurveChart(const EmotionCurve& week, const EmotionCurve& quarter) {
  const double w = 700, h = 190, left = 44, right = 16, top = 22, bottom = 34;
  const double plot_w = w - left - right, plot_h = h - top - bottom;
  const size_t n = week.stages.size();
  auto x = [&](size_t i) {
    return left + (n <= 1 ? plot_w / 2 : plot_w * (0.06 + 0.88 * double(i) / double(n - 1)));
  };
  auto y = [&](double v) { return top + plot_h * (2 - v) / 4; };
  std::string s =
      "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 700 190\" width=\"100%\" "
      "style=\"max-height:52mm\"><title>Emotion curve of " +
      Svg(week.division) + "</title>";
  for (int g = -2; g <= 2; ++g) {
    s += "<line x1=\"" + Fixed(left, "%.1f") + "\" y1=\"" + Fixed(y(g), "%.1f") + "\" x2=\"" +
         Fixed(w - right, "%.1f") + "\" y2=\"" + Fixed(y(g), "%.1f") + "\" stroke=\"" +
         (g == 0 ? "#555" : "#d5dbe3") + "\" stroke-width=\"" + (g == 0 ? "1.2" : "0.8") +
         "\"/><text x=\"" + Fixed(left - 6, "%.1f") + "\" y=\"" + Fixed(y(g) + 3.5, "%.1f") +
         "\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">" +
         (g > 0   ? "+"
          : g < 0 ? "−"
                  : "") +
         std::to_string(std::abs(g)) + "</text>";
  }
  for (size_t i = 0; i < n; ++i) {
    s += "<text x=\"" + Fixed(x(i), "%.1f") + "\" y=\"" + Fixed(h - bottom + 16, "%.1f") +
         "\" font-size=\"11\" text-anchor=\"middle\">" + Svg(week.stages[i].stage) + "</text>";
    s += "<text x=\"" + Fixed(x(i), "%.1f") + "\" y=\"" + Fixed(h - bottom + 29, "%.1f") +
         "\" font-size=\"9\" text-anchor=\"middle\" fill=\"#666\">n=" + N(week.stages[i].n) +
         " / " + N(i < quarter.stages.size() ? quarter.stages[i].n : 0) + "</text>";
  }
  // A line through the stages that have a mean; a stage without one breaks it.
  auto line = [&](const EmotionCurve& c, const char* style) {
    std::string out, pts;
    auto flush = [&] {
      if (!pts.empty())
        out += "<polyline fill=\"none\" " + std::string(style) + " points=\"" + pts + "\"/>";
      pts.clear();
    };
    for (size_t i = 0; i < c.stages.size() && i < n; ++i) {
      if (!c.stages[i].mean) {
        flush();
        continue;
      }
      pts += Fixed(x(i), "%.1f") + "," + Fixed(y(*c.stages[i].mean), "%.1f") + " ";
    }
    flush();
    return out;
  };
  s += line(quarter, "stroke=\"#8a8f96\" stroke-width=\"1.6\" stroke-dasharray=\"5 3\"");
  for (size_t i = 0; i < quarter.stages.size() && i < n; ++i) {
    if (!quarter.stages[i].mean) continue;
    s += "<circle cx=\"" + Fixed(x(i), "%.1f") + "\" cy=\"" +
         Fixed(y(*quarter.stages[i].mean), "%.1f") + "\" r=\"2.5\" fill=\"#8a8f96\"/>";
  }
  s += line(week, "stroke=\"#1f5fa8\" stroke-width=\"2.6\"");
  for (size_t i = 0; i < n; ++i) {
    if (!week.stages[i].mean) continue;
    const double m = *week.stages[i].mean;
    s += "<circle cx=\"" + Fixed(x(i), "%.1f") + "\" cy=\"" + Fixed(y(m), "%.1f") +
         "\" r=\"4\" fill=\"#1f5fa8\"/><text x=\"" + Fixed(x(i), "%.1f") + "\" y=\"" +
         Fixed(m > 1.7 ? y(m) + 16 : y(m) - 8, "%.1f") +
         "\" font-size=\"10.5\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#1f5fa8\">" +
         Svg(Emotion(m)) + "</text>";
  }
  // Legend: what n counts (left), the two lines (right).
  s += "<text x=\"44\" y=\"12.5\" font-size=\"9\" fill=\"#666\">under each stage: n this week / "
       "quarter to date</text>";
  s += "<line x1=\"470\" y1=\"9\" x2=\"494\" y2=\"9\" stroke=\"#1f5fa8\" stroke-width=\"2.6\"/>"
       "<text x=\"498\" y=\"12.5\" font-size=\"10\">this week</text>"
       "<line x1=\"568\" y1=\"9\" x2=\"592\" y2=\"9\" stroke=\"#8a8f96\" stroke-width=\"1.6\" "
       "stroke-dasharray=\"5 3\"/><text x=\"596\" y=\"12.5\" font-size=\"10\">quarter to "
       "date</text>";
  return s + "</svg>\n";
}

int64_t Answers(const EmotionCurve& c) {
  int64_t n = 0;
  for (const auto& s : c.stages) n += s.n;
  return n;
}

void ScoresPart(Html& h, const ReviewVoice& v) {
  h.Raw("<h3>NPS and CSAT by division</h3>\n");
  h.Raw(NpsChart(v));
  h.Head({"Division", "#NPS", "#NPS answers", "#Promoters (9–10)", "#Detractors (0–6)", "#CSAT",
          "#CSAT answers"});
  auto row = [&](const std::string& label, const FeedbackGroupScores* g, bool bold) {
    std::string name = bold ? "<strong>" + Esc(label) + "</strong>" : Esc(label);
    if (!g || (g->nps_n == 0 && g->csat_n == 0)) {
      h.Raw("<tr data-division=\"" + Esc(label) + "\"><td>" + name +
            "</td><td colspan=\"6\" class=\"muted\">no NPS or CSAT feedback this week</td></tr>\n");
      return;
    }
    h.Raw("<tr data-division=\"" + Esc(label) + "\"><td>" + name + "</td>" +
          Num(FormatKpiValue(g->nps, "points")) + Num(N(g->nps_n)) + Num(N(g->promoters)) +
          Num(N(g->detractors)) + Num(FormatKpiValue(g->csat, "ratio")) + Num(N(g->csat_n)) +
          "</tr>\n");
  };
  for (auto d : Divisions()) row(std::string(d), v.ScoresOf(std::string(d)), false);
  if (const FeedbackGroupScores* none = v.ScoresOf("")) row("(no division)", none, false);
  row("All divisions", &v.total, true);
  h.End();
}

void CurvesPart(Html& h, const ReviewVoice& v) {
  h.Raw("<h3>Emotion curve along each journey (−2 … +2)</h3>\n");
  for (size_t i = 0; i < v.curves.size(); ++i) {
    const EmotionCurve& week = v.curves[i];
    const EmotionCurve& quarter = v.quarter_curves[i];
    const int64_t nw = Answers(week), nq = Answers(quarter);
    h.Raw("<div class=\"curve\" data-division=\"" + Esc(week.division) + "\"><h4>" +
          Esc(week.division) + " <span class=\"note\">");
    if (nw == 0 && nq == 0) {
      h.Raw(
          "</span></h4><p class=\"muted\">No emotion feedback this week or this quarter.</p>"
          "</div>\n");
      continue;
    }
    h.Raw(
        (nw == 0 ? std::string("no emotion feedback this week") : N(nw) + " answer(s) this week") +
        ", " + N(nq) + " this quarter to date</span></h4>\n");
    h.Raw(CurveChart(week, quarter));
    // The figures the chart draws, for reading aloud and for checking.
    h.Raw("<table class=\"curve-data\"><thead><tr><th></th>");
    for (const auto& s : week.stages) h.Raw("<th class=\"num\">" + Esc(s.stage) + "</th>");
    h.Raw("</tr></thead><tbody>\n");
    for (const EmotionCurve* c : {&week, &quarter}) {
      h.Raw(std::string("<tr data-period=\"") + (c == &week ? "week" : "quarter") + "\"><td>" +
            (c == &week ? "This week" : "Quarter to date") + "</td>");
      for (const auto& s : c->stages) {
        h.Raw("<td class=\"num\">" + (s.mean ? Esc(Emotion(*s.mean)) : std::string("—")) +
              " <span class=\"note\">n=" + N(s.n) + "</span></td>");
      }
      h.Raw("</tr>\n");
    }
    h.Raw("</tbody></table></div>\n");
  }
}

void RankingPart(Html& h, const ReviewVoice& v) {
  const auto& tps = v.ranking.touchpoints;
  h.Raw("<h3>Touchpoints ranked by won amount per naira (the week)</h3>\n");
  if (tps.empty()) {
    h.Empty("No touchpoints recorded (cxhub touchpoint add).");
    return;
  }
  int64_t invest = 0, cut = 0;
  for (const auto& t : tps) {
    invest += t.verdict == "invest" ? 1 : 0;
    cut += t.verdict == "cut-or-fix" ? 1 : 0;
  }
  h.Raw("<p>" + N(int64_t(tps.size())) + " touchpoint(s): " + N(invest) + " to invest in, " +
        N(cut) + " to cut or fix. Budget is the week's share of the yearly budget (× 7 ÷ 365); " +
        "leads are those created this week, won by the week's end.</p>\n");
  h.Raw(
      "<table class=\"tp\"><thead><tr><th class=\"num\">#</th><th>Verdict</th><th>Touchpoint"
      "</th><th class=\"num\">Budget</th><th class=\"num\">Answers</th><th class=\"num\">NPS"
      "</th><th class=\"num\">Emotion</th><th class=\"num\">Leads</th><th class=\"num\">Won"
      "</th><th class=\"num\">Won amount</th><th class=\"num\">Won per ₦</th><th "
      "class=\"num\">Cost per lead</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < tps.size() && i < kTouchpointsShown; ++i) {
    const TouchpointScore& t = tps[i];
    std::string verdict = t.verdict.empty()       ? "<span class=\"muted\">—</span>"
                          : t.verdict == "invest" ? "<span class=\"met\">invest</span>"
                                                  : "<span class=\"missed\">cut or fix</span>";
    std::string where = t.division + (t.stage.empty() ? "" : " · " + t.stage);
    h.Raw("<tr data-touchpoint=\"" + Esc(t.id) + "\">" + Num(N(int64_t(i + 1))) + "<td>" + verdict +
          "</td><td>" + Esc(t.name) + "<div class=\"note\"><span class=\"nw\">" + Esc(t.id) +
          "</span> " + Esc(where) + "</div></td>" + Num(FormatNaira(t.budget)) +
          Num(N(t.responses)) + Num(FormatKpiValue(t.nps, "points")) +
          Num(t.mean_emotion ? Emotion(*t.mean_emotion) : "—") + Num(N(t.leads)) + Num(N(t.won)) +
          Num(FormatNaira(t.won_amount)) + Num(OptFixed(t.won_amount_per_naira, "%.2f")) +
          Num(t.cost_per_lead ? FormatNaira(*t.cost_per_lead) : "—") + "</tr>\n");
  }
  h.End();
  if (tps.size() > kTouchpointsShown) {
    int64_t cut_hidden = 0;
    for (size_t i = kTouchpointsShown; i < tps.size(); ++i)
      cut_hidden += tps[i].verdict == "cut-or-fix" ? 1 : 0;
    h.Raw("<p class=\"note\">" + N(int64_t(kTouchpointsShown)) + " of " + N(int64_t(tps.size())) +
          " listed in rank order (" + N(cut_hidden) +
          " more to cut or fix among the others); the .xlsx pack and <code>cxhub touchpoints "
          "--from " +
          FormatDate(v.week.from) + " --to " + FormatDate(v.week.to) +
          "</code> list them all.</p>\n");
  }
}

void KeyResultsPart(Html& h, const ReviewVoice& v) {
  h.Raw("<h3>Key results of the customer strategy (quarter to date)</h3>\n");
  if (!v.strategy) {
    h.Empty(v.strategy_note);
    return;
  }
  const StrategyPage& s = *v.strategy;
  // Not the day it was saved, nor the due dates (they are in the .xlsx pack): the pack prints no
  // date after its week (a December date on an October pack reads as a December figure).
  h.Raw("<p>Version " + N(s.saved.version) + " (the latest), saved by " +
        Esc(s.saved_by_name.empty() ? s.saved.saved_by : s.saved_by_name) + "; values for " +
        Esc(PeriodLabel(s.period)) + ".</p>\n");
  if (s.key_results.empty()) {
    h.Empty("The strategy has no key results.");
    return;
  }
  int64_t met = 0, missed = 0, unknown = 0;
  for (const auto& k : s.key_results) (k.met ? (*k.met ? met : missed) : unknown) += 1;
  h.Raw("<p>" + N(met) + " met, " + N(missed) + " not met, " + N(unknown) + " without data.</p>\n");
  h.Head({"Key result", "KPI", "#Value", "#Target", "Met"});
  for (const auto& k : s.key_results) {
    std::string target = k.target && k.direction ? std::string(DirectionSymbol(*k.direction)) +
                                                       " " + FormatKpiValue(k.target, k.unit)
                                                 : "—";
    std::string met_cell = !k.met ? "<span class=\"muted\">no data</span>"
                                  : (*k.met ? "<span class=\"met\">✓ met</span>"
                                            : "<span class=\"missed\">✗ not met</span>");
    h.Row(
        {Esc(k.kr.title) + (k.note.empty() ? "" : "<div class=\"note\">" + Esc(k.note) + "</div>"),
         Esc(k.kpi_name) + "<div class=\"note\">" + Esc(k.kr.division) + "</div>",
         Num(FormatKpiValue(k.value, k.unit)), Num(target), met_cell});
  }
  h.End();
}

}  // namespace

void VoiceSection(Html& h, const ReviewPack& p) {
  const ReviewVoice& v = p.voice;
  h.Section("voice", "Voice of the customer");
  h.Raw("<p>Customer feedback of the week " + Esc(PeriodLabel(v.week)) +
        " (the figures of <code>cxhub feedback scores</code>, <code>feedback curve</code> and "
        "<code>touchpoints</code> for the week); the emotion curves also show the quarter to date "
        "(" +
        Esc(PeriodLabel(v.quarter)) + "). “—”: no answers, never a zero.</p>\n");
  ScoresPart(h, v);
  CurvesPart(h, v);
  RankingPart(h, v);
  KeyResultsPart(h, v);
}

void HubFeedbackPart(Html& h, const ReviewPack& p, const Zone& zone) {
  h.Raw("<h3>Staff feedback on the hub</h3>\n");
  if (p.hub_feedback_this_week == 0) {
    h.Raw("<p class=\"muted hub-feedback\">No feedback on the hub this week (" +
          N(p.hub_feedback_last_week) + " last week).</p>\n");
    return;
  }
  h.Raw("<p class=\"hub-feedback\">" + N(p.hub_feedback_this_week) +
        " piece(s) of feedback on the hub this week, mean score " +
        OptFixed(p.hub_feedback_mean, "%.1f") + " / 5; " + N(p.hub_feedback_last_week) +
        " last week.</p>\n");
  h.Head({"When", "Person", "Division", "#Score", "Comment"});
  for (const auto& f : p.hub_feedback) {
    h.Row({T(f.feedback.date, zone), OrDash(f.given_by), OrDash(f.feedback.division),
           Num(Fixed(f.feedback.score, "%g")), Esc(f.feedback.comment)});
  }
  h.End();
  if (int64_t(p.hub_feedback.size()) < p.hub_feedback_this_week) {
    h.Raw("<p class=\"note\">" + N(int64_t(p.hub_feedback.size())) + " of " +
          N(p.hub_feedback_this_week) + " listed (cxhub hub-feedback list).</p>\n");
  }
}

}  // namespace cx::review_html
