// Lead routing: rules in order, specialists by login, round robin that skips people who are away.
#include "service/routing_service.h"

#include <algorithm>

#include "base/text.h"
#include "service/audit.h"
#include "service/config_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

bool Matches(const std::string& want, const std::string& have) {
  return want.empty() || FoldText(Trim(want)) == FoldText(Trim(have));
}

std::string ProductLine(const Opportunity& o) {
  for (const auto& [k, v] : o.custom) {
    if (ChecklistKey(k) == "product-line") return v;
  }
  return "";
}

// The team's people in a stable order: listed members first, then users with its role/division by
// login.
std::vector<std::string> TeamPeople(const Team& t, const std::vector<User>& users) {
  std::vector<std::string> out = t.members;
  if (t.role.empty()) return out;
  std::vector<std::string> extra;
  for (const auto& u : users) {
    if (FoldText(u.role) != FoldText(t.role)) continue;
    if (!t.division.empty() && !u.division.empty() && u.division != t.division) continue;
    if (!t.division.empty() && u.division.empty()) continue;
    extra.push_back(u.login);
  }
  std::sort(extra.begin(), extra.end());
  for (auto& e : extra) {
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  }
  return out;
}

const User* FindLogin(const std::vector<User>& users, const std::string& login) {
  for (const auto& u : users) {
    if (FoldText(u.login) == FoldText(login)) return &u;
  }
  return nullptr;
}

}  // namespace

Result<RoutingDecision> DecideRoute(Tx& tx, const RoutingConfig& routing, const Opportunity& o,
                                    const Account& a) {
  CX_ASSIGN_OR_RETURN(auto users, tx.ListUsers());
  std::string passed;  // why earlier matching rules gave nobody
  for (const auto& rule : routing.rules) {
    if (!Matches(rule.industry, a.industry) || !Matches(rule.region, a.city) ||
        !Matches(rule.product_line, ProductLine(o))) {
      continue;
    }
    if (!rule.assign.empty()) {
      const User* u = FindLogin(users, rule.assign);
      if (u && !u->away)
        return RoutingDecision{u->login, rule.name,
                               "assigned to the specialist " + u->login + passed};
      passed += "; rule '" + rule.name + "' skipped: " + rule.assign +
                (u ? " is away" : " is not a user");
      continue;
    }
    const Team* team = routing.FindTeam(rule.team);
    if (!team) continue;  // validated at load; defensive
    std::vector<std::string> people = TeamPeople(*team, users);
    const std::string key = "routing.rr." + team->name;
    CX_ASSIGN_OR_RETURN(auto last, tx.GetSetting(key));
    size_t start = 0;
    if (last) {
      auto it = std::find(people.begin(), people.end(), *last);
      if (it != people.end()) start = size_t(it - people.begin()) + 1;
    }
    std::string skipped;
    for (size_t n = 0; n < people.size(); ++n) {
      const std::string& login = people[(start + n) % people.size()];
      const User* u = FindLogin(users, login);
      if (!u || u->away) {
        skipped += (skipped.empty() ? "" : ", ") + login + (u ? "" : " (not a user)");
        continue;
      }
      CX_RETURN_IF_ERROR(tx.SetSetting(key, login));
      std::string why = "round robin in team " + team->name;
      if (!skipped.empty()) why += " (skipped away: " + skipped + ")";
      return RoutingDecision{u->login, rule.name, why + passed};
    }
    passed += "; rule '" + rule.name + "' skipped: nobody in team " + team->name + " is available";
  }
  return RoutingDecision{"", "", "no routing rule found anyone available" + passed};
}

Status AuditRoute(Tx& tx, const Context& ctx, const Opportunity& o, const RoutingDecision& d) {
  std::string reason = d.rule.empty() ? "unrouted: " + d.why : "rule '" + d.rule + "': " + d.why;
  return AuditAction(tx, ctx, "route", "opportunity", o.id, d.owner, reason);
}

Result<RoutingDecision> RouteOpportunity(const Context& ctx, const std::string& opportunity_id) {
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  RoutingDecision decision;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity(opportunity_id));
    if (!o) return NotFound("opportunity " + opportunity_id + " does not exist");
    if (o->division != cfg->journeys.routing.division) {
      return Conflict("opportunity " + o->id + " is a " + o->division + " opportunity; only " +
                      cfg->journeys.routing.division + " leads are routed");
    }
    if (o->outcome != "open")
      return Conflict("opportunity " + o->id + " is " + o->outcome + "; it is not routed");
    if (!o->owner.empty())
      return Conflict("opportunity " + o->id + " already has an owner: " + o->owner);
    CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(o->account_id));
    if (!a) return Internal("opportunity " + o->id + " names a missing account " + o->account_id);
    CX_ASSIGN_OR_RETURN(decision, DecideRoute(tx, cfg->journeys.routing, *o, *a));
    if (!decision.owner.empty()) {
      o->owner = decision.owner;
      CX_RETURN_IF_ERROR(tx.UpdateOpportunity(*o));
    }
    return AuditRoute(tx, ctx, *o, decision);
  });
  if (!st.ok()) return st;
  return decision;
}

}  // namespace cx
