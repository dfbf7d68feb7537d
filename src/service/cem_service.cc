// The seven steps: state per year and the evidence read from the hub's own data.
#include "service/cem_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/text.h"
#include "domain/division.h"
#include "service/audit.h"
#include "service/config_service.h"
#include "service/kpi_service.h"
#include "service/strategy_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

constexpr int64_t kEvidenceDays = 90;
constexpr int64_t kDay = 86400;

// "412 (nps 200, csat 150, emotion 62)" and the counts as JSON.
std::pair<std::string, nlohmann::json> ByKind(const std::vector<FeedbackTally>& tallies) {
  std::map<std::string, int64_t> kinds;
  int64_t total = 0;
  for (const auto& t : tallies) {
    kinds[t.kind] += t.count;
    total += t.count;
  }
  std::string text = std::to_string(total);
  std::string parts;
  for (const auto& [k, n] : kinds)
    parts += (parts.empty() ? "" : ", ") + k + " " + std::to_string(n);
  if (!parts.empty()) text += " (" + parts + ")";
  return {text, {{"total", total}, {"by_kind", kinds}}};
}

CemEvidence TouchpointEvidence(const std::optional<std::vector<TouchpointTally>>& tps) {
  if (!tps || tps->empty()) return {"no touchpoints recorded", {{"touchpoints", 0}}};
  int64_t total = 0;
  std::set<std::string> divisions;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& t : *tps) {
    total += t.touchpoints;
    divisions.insert(t.division);
    rows.push_back({{"division", t.division}, {"stage", t.stage}, {"touchpoints", t.touchpoints}});
  }
  return {std::to_string(total) + " touchpoints compiled at " + std::to_string(tps->size()) +
              " division stages, " + std::to_string(divisions.size()) + " divisions",
          {{"touchpoints", total}, {"by_division_stage", rows}}};
}

CemEvidence RankingEvidence(const std::optional<TouchpointRankSummary>& r, const Period& p) {
  if (!r) return {"no touchpoints recorded", {{"budgeted", 0}}};
  if (r->budgeted == 0) return {"no touchpoint has a budget", {{"budgeted", 0}}};
  return {std::to_string(r->budgeted) + " budgeted touchpoints ranked for " + PeriodLabel(p) +
              ": " + std::to_string(r->invest.size()) + " to invest in, " +
              std::to_string(r->cut_or_fix.size()) + " to cut or fix",
          {{"budgeted", r->budgeted},
           {"ranked", r->ranked},
           {"invest", r->invest},
           {"cut_or_fix", r->cut_or_fix},
           {"from", FormatDate(p.from)},
           {"to", FormatDate(p.to)}}};
}

// Feedback of the last 90 days by kind, and the emotion curves that have data.
CemEvidence FeedbackEvidence(const std::vector<FeedbackTally>& by_stage,
                             const JourneyConfig& journeys) {
  auto [text, data] = ByKind(by_stage);
  nlohmann::json curves = nlohmann::json::array();
  int with_data = 0;
  for (std::string_view d : Divisions()) {
    const Journey* j = journeys.Find(d);
    if (!j) continue;
    std::set<int> stages;
    int64_t n = 0;
    for (const auto& t : by_stage) {
      if (t.kind != "emotion" || t.division != d) continue;
      int i = j->StageIndex(t.stage);
      if (i >= 0) stages.insert(i), n += t.count;
    }
    if (!stages.empty()) ++with_data;
    curves.push_back({{"division", std::string(d)},
                      {"stages_with_data", stages.size()},
                      {"stages", j->stages.size()},
                      {"n", n}});
  }
  data["emotion_curves"] = curves;
  data["days"] = kEvidenceDays;
  return {"feedback in the last " + std::to_string(kEvidenceDays) + " days: " + text + "; " +
              std::to_string(with_data) + " division emotion curves with data",
          data};
}

CemEvidence StrategyEvidence(const std::optional<StrategyPage>& page, const Zone& zone) {
  if (!page) return {"no customer strategy saved", {{"version", nullptr}}};
  const Strategy& s = page->saved.strategy;
  return {"strategy version " + std::to_string(page->saved.version) + " saved by " +
              page->saved_by_name + " on " + FormatTime(page->saved.saved_at, zone).substr(0, 10) +
              ": " + std::to_string(s.objectives.size()) + " objectives, " +
              std::to_string(s.key_results.size()) + " key results",
          {{"version", page->saved.version},
           {"saved_by", page->saved_by_name},
           {"saved_at", FormatTime(page->saved.saved_at, zone)},
           {"objectives", s.objectives.size()},
           {"key_results", s.key_results.size()}}};
}

CemEvidence KeyResultEvidence(const std::optional<StrategyPage>& page) {
  if (!page || page->key_results.empty())
    return {"no key results tied to KPIs", {{"key_results", nlohmann::json::array()}}};
  int met = 0, missed = 0, none = 0;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& k : page->key_results) {
    if (!k.met) {
      ++none;
    } else if (*k.met) {
      ++met;
    } else {
      ++missed;
    }
    rows.push_back(KeyResultJson(k));
  }
  return {std::to_string(page->key_results.size()) + " key results tied to KPIs, live for " +
              PeriodLabel(page->period) + ": " + std::to_string(met) + " met, " +
              std::to_string(missed) + " not met, " + std::to_string(none) + " without a value",
          {{"from", FormatDate(page->period.from)},
           {"to", FormatDate(page->period.to)},
           {"key_results", rows}}};
}

}  // namespace

int CurrentYear(const Context& ctx) {
  Date today;
  int secs = 0;
  ctx.zone.ToLocal(ctx.now(), &today, &secs);
  return today.year;
}

Result<CemBoard> ShowCem(const Context& ctx, int year, EvidenceSource& source) {
  if (year < 2000 || year > 2100)
    return Invalid("--year: " + std::to_string(year) + " is not a year");
  CemBoard board;
  board.year = year;
  board.at = ctx.now();
  CX_ASSIGN_OR_RETURN(auto config, ActiveConfig());
  std::vector<CemStepState> states;
  std::vector<FeedbackTally> recent;
  std::optional<std::vector<FeedbackTally>> since_impl;
  std::optional<Date> impl_date;
  People people;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(states, tx.ListCemSteps(year));
    CX_ASSIGN_OR_RETURN(people, LoadPeople(tx));
    CX_ASSIGN_OR_RETURN(recent, tx.CountFeedback(board.at - kEvidenceDays * kDay, board.at + 1,
                                                 /*by_division_stage=*/true));
    for (const auto& s : states) {
      if (s.step == 6 && s.started) impl_date = s.started;
    }
    if (impl_date) {
      CX_ASSIGN_OR_RETURN(since_impl, tx.CountFeedback(ctx.zone.ToUtc(*impl_date, 0), board.at + 1,
                                                       /*by_division_stage=*/false));
    }
    return Status::Ok();
  }));
  std::optional<StrategyPage> page;
  if (auto p = ShowStrategy(ctx); p.ok()) {
    page = std::move(*p);
  } else if (p.status().code() != Code::kNotFound) {
    return p.status();
  }
  const Period quarter = DefaultKpiPeriod(ctx, std::nullopt, std::nullopt);
  CX_ASSIGN_OR_RETURN(auto tps, source.Touchpoints(ctx));
  CX_ASSIGN_OR_RETURN(auto ranking, source.Ranking(ctx, quarter));
  for (const CemStepDef& def : CemSteps()) {
    CemStepView v;
    v.def = def;
    v.state.year = year;
    v.state.step = def.number;
    for (const auto& s : states) {
      if (s.step == def.number) v.state = s;
    }
    v.owner_name = v.state.owner.empty() ? "" : people.Name(v.state.owner);
    switch (def.number) {
      case 1:
        v.evidence = TouchpointEvidence(tps);
        break;
      case 2:
        v.evidence = FeedbackEvidence(recent, config->journeys);
        break;
      case 4:
        v.evidence = RankingEvidence(ranking, quarter);
        break;
      case 5:
        v.evidence = StrategyEvidence(page, ctx.zone);
        break;
      case 6:
        if (!since_impl) {
          v.evidence = {"no implementation date yet (it is the day step 6 leaves not-started)",
                        {{"since", nullptr}}};
        } else {
          auto [text, data] = ByKind(*since_impl);
          data["since"] = FormatDate(*impl_date);
          v.evidence = {
              "feedback since the implementation date " + FormatDate(*impl_date) + ": " + text,
              data};
        }
        break;
      case 7:
        v.evidence = KeyResultEvidence(page);
        break;
      default:
        v.evidence = {"the hub holds no data for this step; see the owner's notes", nullptr};
    }
    board.steps.push_back(std::move(v));
  }
  return board;
}

Result<CemStepState> SetCemStep(
    const Context& ctx, int year, int step, const CemChange& change,
    const std::function<Status(const std::vector<CemStepState>& stored)>& precondition) {
  if (step < 1 || step > 7)
    return Invalid("STEP: " + std::to_string(step) + " is not one of the seven steps (1-7)");
  if (year < 2000 || year > 2100)
    return Invalid("--year: " + std::to_string(year) + " is not a year");
  std::optional<std::string> status;
  if (change.status) {
    status = CanonicalIn(*change.status, CemStatuses());
    if (!status)
      return Invalid("--status: '" + *change.status + "' is not one of " +
                     JoinForMessage(CemStatuses()));
  }
  if (!status && !change.owner && !change.note && !change.started)
    return Invalid("nothing to change: give --status, --owner, --note or --started");
  CemStepState out;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kSetStrategy));
    CX_ASSIGN_OR_RETURN(auto states, tx.ListCemSteps(year));
    if (precondition) CX_RETURN_IF_ERROR(precondition(states));
    out.year = year;
    out.step = step;
    for (const auto& s : states) {
      if (s.step == step) out = s;
    }
    const nlohmann::json before = {
        {"status", out.status}, {"owner", out.owner}, {"note", out.note}};
    if (status) out.status = *status;
    if (change.owner) {
      out.owner = *change.owner;
      CX_RETURN_IF_ERROR(LinkPerson(tx, &out.owner));
    }
    if (change.note) out.note = Trim(*change.note);
    if (change.started) {
      out.started = change.started;
    } else if (!out.started && out.status != "not-started") {
      Date today;
      int secs = 0;
      ctx.zone.ToLocal(ctx.now(), &today, &secs);
      out.started = today;
    }
    out.updated_at = ctx.now();
    out.updated_by = ctx.actor;
    CX_RETURN_IF_ERROR(tx.SaveCemStep(out));
    nlohmann::json after = {{"status", out.status},
                            {"owner", out.owner},
                            {"note", out.note},
                            {"started", out.started ? FormatDate(*out.started) : ""},
                            {"before", before}};
    return AuditAction(tx, ctx, "set", "cem_step",
                       std::to_string(year) + "/" + std::to_string(step), after.dump(), "");
  }));
  return out;
}

}  // namespace cx
