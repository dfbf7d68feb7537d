// The KPI engine behind ComputeKpis: every KPI of one period, computed from the store's indexed
// facts (docs/kpi.md). Internal to service/kpi_*.cc; the interface is service/kpi_service.h.
#pragma once

#include <string_view>
#include <vector>

#include "service/kpi_service.h"

namespace cx {

// True when `a` and `b` are the same text ignoring ASCII case ("all" and "All").
bool EqualsNoCase(std::string_view a, std::string_view b);

// Every KPI of the definitions (docs/kpi.md) for period `p`, per division as `q` asks, each with
// its numerator, denominator, sample and drill-down ids (at most q.id_limit per list), without
// targets or trend. Reads only, inside the caller's transaction. Errors: those of the store.
Result<std::vector<KpiValue>> ComputeKpiPeriod(Tx& tx, const Context& ctx, const KpiQuery& q,
                                               const Period& p, const BusinessHoursFn& hours);

}  // namespace cx
