// SLA clocks from the facts: one pass over the clocked records of each configured rule.
#include "service/sla_service.h"

#include <algorithm>

#include "base/text.h"
#include "domain/division.h"
#include "service/config_service.h"

namespace cx {

Result<std::vector<SlaItem>> ComputeSla(const Context& ctx, const SlaQuery& q) {
  std::string division;
  if (!q.division.empty()) {
    auto canon = CanonicalDivision(q.division);
    if (!canon) return Invalid("--division: '" + q.division + "' is not one of " + JoinForMessage(Divisions()));
    division = *canon;
  }
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  const BusinessCalendar& cal = cfg->calendar;
  const Timestamp at = SlaMoment(ctx, q);
  const std::string owner = FoldText(q.owner);
  std::vector<SlaItem> items;
  auto keep = [&](const SlaRule& rule, SlaItem item, const SlaClock& clock) {
    if (!owner.empty() && FoldText(item.owner) != owner) return;
    item.state = SlaStateAt(rule, clock, at, cal);
    if (!q.all && item.state != SlaState::kBreached && item.state != SlaState::kAtRisk) return;
    item.kind = rule.kind;
    item.started = clock.started;
    item.due = clock.due;
    item.stopped = clock.stopped;
    items.push_back(std::move(item));
  };
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    for (const auto& journey : cfg->journeys.journeys) {
      if (!division.empty() && journey.division != division) continue;
      for (const auto& rule : journey.slas) {
        if (rule.kind == "inquiry" || rule.kind == "lead") {
          const bool by_owner = rule.kind == "lead";
          CX_RETURN_IF_ERROR(tx.ForEachSlaOpportunity(journey.division, at, [&](const SlaOpportunityFacts& f) {
            SlaClock clock;
            clock.started = f.created;
            clock.due = SlaDue(rule, f.created, cal);
            clock.stopped = by_owner ? f.first_owner_response : f.first_response;
            keep(rule, SlaItem{"", f.id, f.division, f.owner, SlaState::kRunning, 0, 0, std::nullopt}, clock);
            return Status::Ok();
          }));
        } else if (rule.kind == "quality-flag") {
          CX_RETURN_IF_ERROR(tx.ForEachSlaCase(journey.division, rule.kind, at, [&](const SlaCaseFacts& f) {
            SlaClock clock;
            clock.started = f.opened;
            clock.due = SlaDue(rule, f.opened, cal);
            clock.stopped = f.resolution_confirmed;
            keep(rule, SlaItem{"", f.id, f.division, f.owner, SlaState::kRunning, 0, 0, std::nullopt}, clock);
            return Status::Ok();
          }));
        }
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  std::stable_sort(items.begin(), items.end(), [](const SlaItem& a, const SlaItem& b) {
    if (a.state != b.state) return a.state < b.state;
    if (a.due != b.due) return a.due < b.due;
    return a.id < b.id;
  });
  return items;
}

}  // namespace cx
