// NPS, CSAT, emotion curves, the touchpoint ranking and newsletter sign-ups for a period.
#include "service/feedback_report.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "base/text.h"
#include "domain/division.h"
#include "service/config_service.h"

namespace cx {
namespace {

// The canonical division of a filter ("" stays ""). Errors: kInvalid naming the text.
Result<std::string> DivisionFilter(const std::string& text) {
  if (Trim(text).empty()) return std::string();
  auto d = CanonicalDivision(text);
  if (!d) return Invalid("--division: '" + text + "' is not a division");
  return *d;
}

Status CheckPeriod(const Period& p) {
  if (p.to < p.from) {
    return Invalid("the period ends (" + FormatDate(p.to) + ") before it starts (" +
                   FormatDate(p.from) + ")");
  }
  return Status::Ok();
}

}  // namespace

Result<Period> PeriodFromOptions(const Context& ctx, const std::string& from, const std::string& to,
                                 const std::string& prefix) {
  std::optional<Date> f, t;
  if (!from.empty()) {
    auto d = ParseDate(from);
    if (!d.ok()) return Invalid(prefix + "from: " + d.status().message());
    f = *d;
  }
  if (!to.empty()) {
    auto d = ParseDate(to);
    if (!d.ok()) return Invalid(prefix + "to: " + d.status().message());
    t = *d;
  }
  Period p = DefaultKpiPeriod(ctx, f, t);
  CX_RETURN_IF_ERROR(CheckPeriod(p));
  return p;
}

Result<FeedbackScores> ComputeFeedbackScores(const Context& ctx, const Period& p, FeedbackGroup by,
                                             const std::string& division) {
  CX_RETURN_IF_ERROR(CheckPeriod(p));
  FeedbackScores out;
  out.period = p;
  out.by = by;
  CX_ASSIGN_OR_RETURN(out.division, DivisionFilter(division));
  const PeriodBounds b = BoundsOf(p, ctx.zone);
  std::vector<FeedbackGroupTally> nps, csat;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(nps, tx.FeedbackTallies("nps", out.division, b.begin, b.end, by));
    CX_ASSIGN_OR_RETURN(csat, tx.FeedbackTallies("csat", out.division, b.begin, b.end, by));
    return Status::Ok();
  }));
  std::map<std::pair<std::string, std::string>, FeedbackGroupScores> groups;
  for (const auto& g : nps) {
    auto& s = groups[{g.division, g.key}];
    s.key = g.key;
    s.division = g.division;
    s.nps = NpsOf(g.tally);
    s.nps_n = g.tally.n;
    s.promoters = g.tally.promoters;
    s.detractors = g.tally.detractors;
  }
  for (const auto& g : csat) {
    auto& s = groups[{g.division, g.key}];
    s.key = g.key;
    s.division = g.division;
    s.csat = CsatOf(g.tally);
    s.csat_n = g.tally.n;
    s.satisfied = g.tally.satisfied;
  }
  for (auto& [k, s] : groups) out.groups.push_back(std::move(s));
  if (by == FeedbackGroup::kStage) {
    // Stages in journey order within their division.
    CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
    auto rank = [&](const FeedbackGroupScores& s) {
      const Journey* j = cfg->journeys.Find(s.division);
      int i = j ? j->StageIndex(s.key) : -1;
      return std::make_tuple(s.division, i < 0 ? 1000 : i, s.key);
    };
    std::stable_sort(out.groups.begin(), out.groups.end(),
                     [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  }
  return out;
}

Result<EmotionCurve> ComputeEmotionCurve(const Context& ctx, const std::string& division,
                                         const Period& p) {
  CX_RETURN_IF_ERROR(CheckPeriod(p));
  if (Trim(division).empty()) return Invalid("--division is required (the curve is per journey)");
  CX_ASSIGN_OR_RETURN(std::string d, DivisionFilter(division));
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  const Journey* j = cfg->journeys.Find(d);
  if (!j) return Invalid("--division: " + d + " has no journey");
  EmotionCurve out;
  out.division = d;
  out.period = p;
  const PeriodBounds b = BoundsOf(p, ctx.zone);
  std::vector<FeedbackGroupTally> rows;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(rows,
                        tx.FeedbackTallies("emotion", d, b.begin, b.end, FeedbackGroup::kStage));
    return Status::Ok();
  }));
  std::vector<ScoreTally> per_stage(j->stages.size());
  for (const auto& r : rows) {
    int i = j->StageIndex(r.key);
    if (i < 0) continue;  // no stage, or one the journey no longer has
    per_stage[size_t(i)].n += r.tally.n;
    per_stage[size_t(i)].sum += r.tally.sum;
  }
  for (size_t i = 0; i < j->stages.size(); ++i) {
    out.stages.push_back(EmotionPoint{j->stages[i], MeanOf(per_stage[i]), per_stage[i].n});
  }
  return out;
}

Result<TouchpointRanking> ComputeTouchpointRanking(const Context& ctx, const Period& p,
                                                   const std::string& division) {
  CX_RETURN_IF_ERROR(CheckPeriod(p));
  TouchpointRanking out;
  out.period = p;
  CX_ASSIGN_OR_RETURN(out.division, DivisionFilter(division));
  const PeriodBounds b = BoundsOf(p, ctx.zone);
  std::vector<Touchpoint> tps;
  std::vector<TouchpointFeedback> fb;
  std::vector<TouchpointLeads> leads;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(tps, tx.ListTouchpoints(out.division));
    CX_ASSIGN_OR_RETURN(fb, tx.TouchpointFeedbackTallies(b.begin, b.end));
    CX_ASSIGN_OR_RETURN(leads, tx.TouchpointLeadCounts(b.begin, b.end, b.end));
    return Status::Ok();
  }));
  std::unordered_map<std::string, const TouchpointFeedback*> fb_of;
  for (const auto& f : fb) fb_of[f.touchpoint_id] = &f;
  std::unordered_map<std::string, const TouchpointLeads*> leads_of;
  for (const auto& l : leads) leads_of[l.touchpoint_id] = &l;
  for (const auto& t : tps) {
    TouchpointScore s;
    s.id = t.id;
    s.name = t.name;
    s.division = t.division;
    s.stage = t.stage;
    s.yearly_budget = t.yearly_budget;
    if (auto it = fb_of.find(t.id); it != fb_of.end()) {
      s.responses = it->second->responses;
      s.nps = NpsOf(it->second->nps);
      s.mean_emotion = MeanOf(it->second->emotion);
    }
    if (auto it = leads_of.find(t.id); it != leads_of.end()) {
      s.leads = it->second->leads;
      s.won = it->second->won;
      s.won_amount = it->second->won_amount;
    }
    out.touchpoints.push_back(std::move(s));
  }
  RankTouchpoints(&out.touchpoints, PeriodYearShare(DaysFromCivil(p.from), DaysFromCivil(p.to)));
  return out;
}

Status NewsletterSignupsKpi(Tx& tx, const Period& p, int id_limit, KpiValue* v) {
  const std::string from = FormatDate(p.from), to = FormatDate(p.to);
  CX_ASSIGN_OR_RETURN(int64_t n, tx.CountNewsletterSignups(from, to));
  CX_ASSIGN_OR_RETURN(int64_t ever, tx.CountNewsletterSignups("0000-01-01", to));
  v->numerator = double(n);
  v->sample = n;
  if (ever == 0) {
    v->note = "no contact has a newsletter subscription date by the end of the period";
    return Status::Ok();
  }
  v->value = double(n);
  CX_ASSIGN_OR_RETURN(v->numerator_ids, tx.NewsletterContacts(from, to, id_limit));
  if (n > int64_t(v->numerator_ids.size())) v->ids_truncated = true;
  return Status::Ok();
}

}  // namespace cx
