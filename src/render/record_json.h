// The JSON shapes of the journey records' views, made once for the command line's --json and
// the API (opportunities, their moves and routing, cases).
#pragma once

#include <nlohmann/json.hpp>

#include "service/case_service.h"
#include "service/opportunity_service.h"

namespace cx {

// `opportunity add --json`, POST /api/v1/opportunities: the opportunity, its routing (or
// null) and the next actions created.
nlohmann::json AddOpportunityJson(const AddOpportunityResult& r, const Zone& z);
// A stage move or a win: the opportunity, the checklist items overridden, the next actions made.
nlohmann::json MoveJson(const MoveResult& r, const Zone& z);
// `opportunity show --json`, GET /api/v1/opportunities/{id}.
nlohmann::json OpportunityViewJson(const OpportunityView& v, const Zone& z);
// A routing decision: {owner, rule, why}.
nlohmann::json RoutingJson(const RoutingDecision& d);
// A case with its service-job times.
nlohmann::json CaseJson(const Case& c, const Zone& z);
// `case show --json`, GET /api/v1/cases/{id}.
nlohmann::json CaseViewJson(const CaseView& v, const Zone& z);
// An ERP order (GET /api/v1/orders/{id}, an account's orders): {"id", "erp_customer_id", "date",
// "division", "amount", "currency", "last_modified"}.
nlohmann::json OrderJson(const Order& o, const Zone& z);

}  // namespace cx
