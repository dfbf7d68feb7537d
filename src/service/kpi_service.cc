// The KPI service: the default period and business hours, targets (shipped and stored), and the
// scorecard of a period with its trend; the engine is service/kpi_engine.cc (docs/kpi.md).
#include "service/kpi_service.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "domain/division.h"
#include "service/audit.h"
#include "service/config_service.h"
#include "service/kpi_engine.h"
#include "service/user_service.h"

namespace cx {

Result<BusinessHoursFn> DefaultBusinessHours() {
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  return BusinessHoursFn(
      [cfg](Timestamp a, Timestamp b) { return cfg->calendar.BusinessHoursBetween(a, b); });
}

Period DefaultKpiPeriod(const Context& ctx, std::optional<Date> from, std::optional<Date> to) {
  if (from && to) return Period{*from, *to};
  if (from) return Period{*from, QuarterOf(*from).to};
  if (to) return Period{QuarterOf(*to).from, *to};
  Date today;
  int secs = 0;
  ctx.zone.ToLocal(ctx.now(), &today, &secs);
  return QuarterOf(today);
}

Result<std::vector<KpiTarget>> EffectiveTargets(Tx& tx) {
  CX_ASSIGN_OR_RETURN(auto targets, DefaultTargets());
  CX_ASSIGN_OR_RETURN(auto stored, tx.KpiStoredTargets());
  for (const auto& s : stored) {
    auto it = std::find_if(targets.begin(), targets.end(), [&](const KpiTarget& t) {
      return t.key == s.key && t.division == s.division;
    });
    if (it != targets.end()) {
      *it = s;
    } else {
      targets.push_back(s);
    }
  }
  return targets;
}

Result<Scorecard> ComputeKpis(const Context& ctx, const KpiQuery& query) {
  KpiQuery q = query;
  CX_RETURN_IF_ERROR(ValidatePeriod(q.period));
  if (!q.division.empty()) {
    if (EqualsNoCase(q.division, kAllDivisions)) {
      q.division = std::string(kAllDivisions);
    } else {
      auto c = CanonicalDivision(q.division);
      if (!c)
        return Invalid("--division: '" + q.division + "' is not one of " +
                       JoinForMessage(Divisions()) + ", All");
      q.division = *c;
    }
  }
  if (q.trend < 0) q.trend = 0;
  if (q.id_limit < 0) q.id_limit = 0;
  BusinessHoursFn hours = q.business_hours;
  if (!hours) {
    CX_ASSIGN_OR_RETURN(hours, DefaultBusinessHours());
  }
  Scorecard card;
  card.period = q.period;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto targets, EffectiveTargets(tx));
    CX_RETURN_IF_ERROR(tx.RefreshKpiActivity(ctx.zone));
    CX_RETURN_IF_ERROR(tx.RefreshKpiFunnel());
    CX_ASSIGN_OR_RETURN(card.kpis, ComputeKpiPeriod(tx, ctx, q, q.period, hours));
    KpiQuery light = q;
    light.id_limit = 0;
    for (const auto& prev : PreviousPeriods(q.period, q.trend)) {
      CX_ASSIGN_OR_RETURN(auto vals, ComputeKpiPeriod(tx, ctx, light, prev, hours));
      for (size_t i = 0; i < vals.size() && i < card.kpis.size(); ++i) {
        card.kpis[i].trend.push_back(KpiTrendPoint{prev, vals[i].value});
        card.kpis[i].millis += vals[i].millis;
      }
    }
    for (auto& v : card.kpis) {
      v.target = TargetFor(targets, v.key, v.division);
      if (v.target && v.value) v.met = TargetMet(*v.target, *v.value);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return card;
}

Status SetKpiTarget(const Context& ctx, KpiTarget t) {
  const KpiDef* def = FindKpi(t.key);
  if (!def) {
    std::string keys;
    for (const auto& d : KpiDefs()) keys += (keys.empty() ? "" : ", ") + d.key;
    return Invalid("KPI key: '" + t.key + "' is not one of " + keys);
  }
  if (!t.division.empty()) {
    std::string div =
        EqualsNoCase(t.division, kAllDivisions) ? std::string(kAllDivisions) : t.division;
    if (div != kAllDivisions) {
      auto c = CanonicalDivision(div);
      if (!c) return Invalid("--division: '" + t.division + "' is not a division");
      div = *c;
    }
    if (std::find(def->divisions.begin(), def->divisions.end(), div) == def->divisions.end()) {
      return Invalid("--division: " + t.key + " is not computed for " + div);
    }
    t.division = div;
  }
  if (!std::isfinite(t.value)) return Invalid("--value: must be a number");
  bool yoy = t.key.ends_with("_yoy");
  if (def->unit == "ratio" && !yoy && (t.value < 0 || t.value > 1)) {
    return Invalid("--value: " + t.key +
                   " is a rate written as a fraction (0.6 = 60 %), between 0 and 1");
  }
  if (def->unit == "points" && (t.value < -100 || t.value > 100)) {
    return Invalid("--value: NPS is in points from -100 to +100");
  }
  return ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kSetKpiTargets));
    CX_RETURN_IF_ERROR(tx.SaveKpiTarget(t, ctx.actor, ctx.now()));
    nlohmann::json j = {{"value", t.value}, {"direction", DirectionName(t.direction)}};
    return AuditAction(tx, ctx, "set-target", "kpi_target",
                       t.key + (t.division.empty() ? "" : "/" + t.division), j.dump(), "");
  });
}

}  // namespace cx
