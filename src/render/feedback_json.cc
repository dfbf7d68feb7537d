// Touchpoints, the ranking, the emotion curve and NPS/CSAT groups as JSON.
#include "render/feedback_json.h"

#include <cmath>

#include "base/text.h"
#include "domain/division.h"

namespace cx {
namespace {

nlohmann::json Opt(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

const char* ByName(FeedbackGroup by) {
  switch (by) {
    case FeedbackGroup::kDivision:
      return "division";
    case FeedbackGroup::kTouchpoint:
      return "touchpoint";
    case FeedbackGroup::kStage:
      return "stage";
  }
  return "division";
}

}  // namespace

nlohmann::json ToJson(const Touchpoint& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"division", t.division},
          {"stage", t.stage},
          {"channel", t.channel},
          {"owner", t.owner},
          {"yearly_budget", t.yearly_budget}};
}

nlohmann::json ToJson(const TouchpointRanking& r) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& t : r.touchpoints) {
    arr.push_back(
        {{"id", t.id},
         {"name", t.name},
         {"division", t.division},
         {"stage", t.stage},
         {"budget", t.budget},
         {"responses", t.responses},
         {"nps", Opt(t.nps)},
         {"mean_emotion", Opt(t.mean_emotion)},
         {"leads", t.leads},
         {"won", t.won},
         {"won_amount", t.won_amount},
         {"won_amount_per_naira", Opt(t.won_amount_per_naira)},
         {"cost_per_lead", Opt(t.cost_per_lead)},
         {"verdict", t.verdict.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.verdict)}});
  }
  return {
      {"from", FormatDate(r.period.from)}, {"to", FormatDate(r.period.to)}, {"touchpoints", arr}};
}

Result<nlohmann::json> TouchpointsReport(const Context& ctx, const TouchpointsReportOptions& o) {
  CX_ASSIGN_OR_RETURN(const Period p, PeriodFromOptions(ctx, o.from, o.to, o.prefix));
  std::string division;
  if (!Trim(o.division).empty()) {
    auto d = CanonicalDivision(o.division);
    if (!d) return Invalid(o.prefix + "division: '" + o.division + "' is not a division");
    division = *d;
  }
  CX_ASSIGN_OR_RETURN(const TouchpointRanking r, ComputeTouchpointRanking(ctx, p, division));
  return ToJson(r);
}

nlohmann::json ToJson(const EmotionCurve& c) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& s : c.stages)
    arr.push_back({{"stage", s.stage}, {"mean", Opt(s.mean)}, {"n", s.n}});
  return {{"division", c.division}, {"stages", arr}};
}

nlohmann::json ToJson(const FeedbackScores& s) {
  const char* by = ByName(s.by);
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& g : s.groups) {
    nlohmann::json j = {{by, g.key.empty() ? nlohmann::json(nullptr) : nlohmann::json(g.key)},
                        {"nps", Opt(g.nps)},
                        {"nps_n", g.nps_n},
                        {"promoters", g.promoters},
                        {"detractors", g.detractors},
                        {"csat", Opt(g.csat)},
                        {"csat_n", g.csat_n},
                        {"satisfied", g.satisfied}};
    if (s.by == FeedbackGroup::kStage) j["division"] = g.division;
    arr.push_back(j);
  }
  return {{"from", FormatDate(s.period.from)},
          {"to", FormatDate(s.period.to)},
          {"by", by},
          {"groups", arr}};
}

namespace {

// The canonical division of an option, "" when not given. Errors: kInvalid naming the option.
Result<std::string> DivisionOption(const std::string& text, const std::string& prefix) {
  if (Trim(text).empty()) return std::string();
  auto d = CanonicalDivision(text);
  if (!d) return Invalid(prefix + "division: '" + text + "' is not a division");
  return *d;
}

}  // namespace

Result<nlohmann::json> CurveReport(const Context& ctx, const CurveReportOptions& o) {
  if (Trim(o.division).empty())
    return Invalid(o.prefix + "division: is required (the curve is per journey)");
  CX_ASSIGN_OR_RETURN(const std::string division, DivisionOption(o.division, o.prefix));
  CX_ASSIGN_OR_RETURN(const Period p, PeriodFromOptions(ctx, o.from, o.to, o.prefix));
  CX_ASSIGN_OR_RETURN(const EmotionCurve c, ComputeEmotionCurve(ctx, division, p));
  return ToJson(c);
}

Result<nlohmann::json> ScoresReport(const Context& ctx, const ScoresReportOptions& o) {
  FeedbackGroup by = FeedbackGroup::kDivision;
  if (o.by == "touchpoint") {
    by = FeedbackGroup::kTouchpoint;
  } else if (o.by == "stage") {
    by = FeedbackGroup::kStage;
  } else if (!o.by.empty() && o.by != "division") {
    return Invalid(o.prefix + "by: '" + o.by + "' is not one of division, touchpoint, stage");
  }
  CX_ASSIGN_OR_RETURN(const std::string division, DivisionOption(o.division, o.prefix));
  CX_ASSIGN_OR_RETURN(const Period p, PeriodFromOptions(ctx, o.from, o.to, o.prefix));
  CX_ASSIGN_OR_RETURN(const FeedbackScores r, ComputeFeedbackScores(ctx, p, by, division));
  return ToJson(r);
}

nlohmann::json ToJson(const Feedback& f, const Zone& z) {
  return {{"id", f.id},
          {"date", FormatTime(f.date, z)},
          {"kind", f.kind},
          {"score", f.score},
          {"account_id", f.account_id},
          {"contact_id", f.contact_id},
          {"division", f.division},
          {"stage", f.stage},
          {"touchpoint", f.touchpoint},
          {"platform", f.platform},
          {"comment", f.comment},
          {"source", f.source}};
}

nlohmann::json ToJson(const SurveyLink& l, const Zone& z) {
  return {{"url", l.url},
          {"touchpoint", l.touchpoint},
          {"contact", l.contact.empty() ? nlohmann::json(nullptr) : nlohmann::json(l.contact)},
          {"kind", l.kind},
          {"expires", FormatTime(l.expires_at, z)}};
}

}  // namespace cx
