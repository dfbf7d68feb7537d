// Lead routing (docs/journeys.md): data-driven rules, round robin within teams, audited.
#pragma once

#include <string>

#include "domain/journey.h"
#include "service/context.h"

namespace cx {

// Who a lead goes to and which rule said so. `owner` is empty when no rule found anyone.
struct RoutingDecision {
  std::string owner;
  std::string rule;  // the rule's name, empty when unrouted
  std::string why;   // e.g. "round robin in team power-sales (skipped away: bola)"
};

// Applies `routing` to the opportunity `o` of account `a` inside `tx`: the first
// rule whose criteria all match and that names someone available wins. Advances
// the team's round-robin pointer (setting "routing.rr.TEAM"). Does not write the
// opportunity and does not audit; see RouteOpportunity.
Result<RoutingDecision> DecideRoute(Tx& tx, const RoutingConfig& routing, const Opportunity& o,
                                    const Account& a);

// Writes the routing audit entry (entity "opportunity", action "route", after =
// the owner, reason naming the rule) for a decision already applied to `o`.
Status AuditRoute(Tx& tx, const Context& ctx, const Opportunity& o, const RoutingDecision& d);

// Routes an existing open, unowned lead again (e.g. after its people came back).
// Errors: kNotFound; kConflict when it already has an owner or is closed, or
// its division is not the routed one.
Result<RoutingDecision> RouteOpportunity(const Context& ctx, const std::string& opportunity_id);

}  // namespace cx
