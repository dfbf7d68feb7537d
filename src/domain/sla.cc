// SLA clock states (docs/journeys.md): a pure function of the facts and the moment.
#include "domain/sla.h"

namespace cx {

std::string_view SlaStateName(SlaState s) {
  switch (s) {
    case SlaState::kBreached:
      return "breached";
    case SlaState::kAtRisk:
      return "at-risk";
    case SlaState::kRunning:
      return "running";
    case SlaState::kMet:
      return "met";
  }
  return "running";
}

Timestamp SlaDue(const SlaRule& rule, Timestamp started, const BusinessCalendar& cal) {
  return rule.business_hours ? cal.AddBusinessSeconds(started, rule.allowance)
                             : started + rule.allowance;
}

SlaState SlaStateAt(const SlaRule& rule, const SlaClock& clock, Timestamp at,
                    const BusinessCalendar& cal) {
  if (clock.stopped && *clock.stopped <= at) {
    return *clock.stopped <= clock.due ? SlaState::kMet : SlaState::kBreached;
  }
  if (at > clock.due) return SlaState::kBreached;
  int64_t left = rule.business_hours ? cal.BusinessSecondsBetween(at, clock.due) : clock.due - at;
  // Less than a quarter left is at risk; exactly a quarter is still running.
  if (left * 4 < rule.allowance) return SlaState::kAtRisk;
  return SlaState::kRunning;
}

}  // namespace cx
