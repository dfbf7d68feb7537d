// The one-page customer strategy: versions, live key results, history.
#include "service/strategy_service.h"

#include <cmath>

#include "service/audit.h"
#include "service/kpi_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

nlohmann::json HorizonsJson(const Horizons& h) {
  return {{"year1", h.year1}, {"year3", h.year3}, {"year5", h.year5}};
}
Horizons HorizonsFrom(const nlohmann::json& j) {
  return {j.value("year1", ""), j.value("year3", ""), j.value("year5", "")};
}
nlohmann::json OptNum(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

// Checks that every key result has a target and a direction, its own or its KPI's.
Status CheckTargets(Tx& tx, const Strategy& s, const std::string& source) {
  CX_ASSIGN_OR_RETURN(const auto targets, EffectiveTargets(tx));
  Status problems = Invalid(source + ": key results without a target (nothing was saved)");
  for (size_t i = 0; i < s.key_results.size(); ++i) {
    const KeyResult& kr = s.key_results[i];
    const auto own = TargetFor(targets, kr.kpi, kr.division);
    const std::string where = source + ": key_results[" + std::to_string(i + 1) + "]";
    if (!kr.target && !own)
      problems.AddDetail(where + ".target: " + kr.kpi + " has no target of its own for " +
                         kr.division + " (set by management): give one");
    else if (kr.target && !kr.direction && !own)
      problems.AddDetail(where + ".direction: " + kr.kpi +
                         " has no target of its own to take a direction from: give above, "
                         "below, at_least or at_most");
  }
  if (!problems.details().empty()) return problems;
  return Status::Ok();
}

}  // namespace

nlohmann::json StrategyJson(const Strategy& s) {
  nlohmann::json objectives = nlohmann::json::array();
  for (const auto& o : s.objectives) {
    nlohmann::json j = HorizonsJson(o.horizons);
    j["title"] = o.title;
    objectives.push_back(j);
  }
  nlohmann::json krs = nlohmann::json::array();
  for (const auto& k : s.key_results) {
    krs.push_back({{"title", k.title},
                   {"kpi", k.kpi},
                   {"division", k.division},
                   {"target", OptNum(k.target)},
                   {"direction", k.direction ? nlohmann::json(DirectionName(*k.direction))
                                             : nlohmann::json(nullptr)},
                   {"due", FormatDate(k.due)}});
  }
  return {{"mission", s.mission},
          {"vision", s.vision},
          {"key_objectives",
           {{"growth", HorizonsJson(s.growth)},
            {"new_markets", HorizonsJson(s.new_markets)},
            {"new_customers", HorizonsJson(s.new_customers)}}},
          {"ambition", s.ambition},
          {"objectives", objectives},
          {"key_results", krs},
          {"communication", s.communication},
          {"notes", s.notes}};
}

Result<Strategy> StrategyFromJson(const nlohmann::json& j) {
  try {
    Strategy s;
    s.mission = j.value("mission", "");
    s.vision = j.value("vision", "");
    s.ambition = j.value("ambition", "");
    s.communication = j.value("communication", "");
    s.notes = j.value("notes", "");
    const auto& ko = j.at("key_objectives");
    s.growth = HorizonsFrom(ko.at("growth"));
    s.new_markets = HorizonsFrom(ko.at("new_markets"));
    s.new_customers = HorizonsFrom(ko.at("new_customers"));
    for (const auto& o : j.at("objectives"))
      s.objectives.push_back({o.value("title", ""), HorizonsFrom(o)});
    for (const auto& k : j.at("key_results")) {
      KeyResult kr;
      kr.title = k.value("title", "");
      kr.kpi = k.at("kpi").get<std::string>();
      kr.division = k.at("division").get<std::string>();
      if (!k.at("target").is_null()) kr.target = k.at("target").get<double>();
      if (!k.at("direction").is_null()) {
        CX_ASSIGN_OR_RETURN(kr.direction, ParseDirection(k.at("direction").get<std::string>()));
      }
      CX_ASSIGN_OR_RETURN(kr.due, ParseDate(k.at("due").get<std::string>()));
      s.key_results.push_back(std::move(kr));
    }
    return s;
  } catch (const nlohmann::json::exception& e) {
    return Internal(std::string("a stored strategy version cannot be read: ") + e.what());
  }
}

nlohmann::json KeyResultJson(const KeyResultStatus& k) {
  return {{"title", k.kr.title},
          {"kpi", k.kr.kpi},
          {"kpi_name", k.kpi_name},
          {"division", k.kr.division},
          {"unit", k.unit},
          {"target", OptNum(k.target)},
          {"direction",
           k.direction ? nlohmann::json(DirectionName(*k.direction)) : nlohmann::json(nullptr)},
          {"due", FormatDate(k.kr.due)},
          {"value", OptNum(k.value)},
          {"met", k.met ? nlohmann::json(*k.met) : nlohmann::json(nullptr)},
          {"note", k.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(k.note)}};
}

Result<StrategyVersion> SetStrategy(const Context& ctx, std::string_view toml_text,
                                    const std::string& source,
                                    const std::function<Status(int64_t)>& precondition) {
  StrategyVersion out;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    // Who may comes first: a refused person learns nothing about the file.
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kSetStrategy));
    if (precondition) {
      CX_ASSIGN_OR_RETURN(const auto latest, tx.GetStrategyVersion(0));
      CX_RETURN_IF_ERROR(precondition(latest ? latest->version : 0));
    }
    CX_ASSIGN_OR_RETURN(out.strategy, ParseStrategy(toml_text, source));
    CX_RETURN_IF_ERROR(CheckTargets(tx, out.strategy, source));
    out.saved_at = ctx.now();
    out.saved_by = ctx.actor;
    const std::string body = StrategyJson(out.strategy).dump();
    CX_ASSIGN_OR_RETURN(out.version, tx.AppendStrategyVersion(out.saved_at, out.saved_by, body));
    return AuditAction(tx, ctx, "save", "strategy", "v" + std::to_string(out.version), body,
                       "strategy set --file " + source);
  }));
  return out;
}

Result<StrategyPage> ShowStrategy(const Context& ctx, int64_t version,
                                  std::optional<Period> period) {
  StrategyPage page;
  std::vector<KpiTarget> targets;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto stored, tx.GetStrategyVersion(version));
    if (!stored) {
      if (version == 0)
        return NotFound(
            "no customer strategy saved yet; a manager saves one with `cxhub strategy "
            "set --file strategy.toml --as LOGIN`");
      return NotFound("strategy version " + std::to_string(version) +
                      " does not exist (see `cxhub strategy history`)");
    }
    nlohmann::json body = nlohmann::json::parse(stored->body, nullptr, false);
    if (body.is_discarded())
      return Internal("strategy version " + std::to_string(stored->version) + " is damaged");
    CX_ASSIGN_OR_RETURN(page.saved.strategy, StrategyFromJson(body));
    page.saved.version = stored->version;
    page.saved.saved_at = stored->saved_at;
    page.saved.saved_by = stored->saved_by;
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    page.saved_by_name = people.Name(stored->saved_by);
    CX_ASSIGN_OR_RETURN(targets, EffectiveTargets(tx));
    return Status::Ok();
  }));
  page.period = period ? *period : DefaultKpiPeriod(ctx, std::nullopt, std::nullopt);
  const auto& krs = page.saved.strategy.key_results;
  if (krs.empty()) return page;
  KpiQuery q;
  q.period = page.period;
  q.trend = 0;
  q.id_limit = 0;
  // One division's scorecard when every key result is of it; else the whole scorecard once.
  q.division = krs.front().division;
  for (const auto& kr : krs) {
    if (kr.division != q.division) q.division = "";
  }
  CX_ASSIGN_OR_RETURN(const Scorecard card, ComputeKpis(ctx, q));
  for (const auto& kr : krs) {
    KeyResultStatus st;
    st.kr = kr;
    const KpiDef* def = FindKpi(kr.kpi);
    st.kpi_name = def ? def->name : kr.kpi;
    st.unit = def ? def->unit : "";
    const auto own = TargetFor(targets, kr.kpi, kr.division);
    st.target = kr.target ? kr.target : (own ? std::optional<double>(own->value) : std::nullopt);
    st.direction = kr.direction
                       ? kr.direction
                       : (own ? std::optional<TargetDirection>(own->direction) : std::nullopt);
    const KpiValue* v = nullptr;
    for (const auto& x : card.kpis) {
      if (x.key == kr.kpi && x.division == kr.division) v = &x;
    }
    if (!v) {
      st.note = "the KPI engine does not compute " + kr.kpi + " for " + kr.division;
    } else {
      st.value = v->value;
      if (!v->value) st.note = v->note.empty() ? "no data in the period" : v->note;
    }
    if (st.value && st.target && st.direction) {
      st.met = TargetMet(KpiTarget{kr.kpi, kr.division, *st.target, *st.direction}, *st.value);
    }
    page.key_results.push_back(std::move(st));
  }
  return page;
}

Result<std::vector<StrategyVersion>> StrategyHistory(const Context& ctx) {
  std::vector<StrategyVersion> out;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(const auto stored, tx.ListStrategyVersions());
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    for (const auto& s : stored) {
      StrategyVersion v;
      v.version = s.version;
      v.saved_at = s.saved_at;
      v.saved_by = people.Name(s.saved_by);
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace cx
