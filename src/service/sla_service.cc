// SLA clocks from the facts: one pass over the opportunities of every division with an inquiry or
// lead rule, and one over the cases of each case rule.
#include "service/sla_service.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/text.h"
#include "domain/division.h"
#include "service/config_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

// The static spelling of a clock kind or division, so that a million items share them.
std::string_view Interned(std::string_view s, std::span<const std::string_view> pool) {
  for (std::string_view p : pool)
    if (p == s) return p;
  return {};
}

constexpr std::string_view kClockKinds[] = {"inquiry", "lead", "quality-flag"};

}  // namespace

Result<SlaItems> ComputeSla(const Context& ctx, const SlaQuery& q) {
  std::string division;
  if (!q.division.empty()) {
    auto canon = CanonicalDivision(q.division);
    if (!canon)
      return Invalid("--division: '" + q.division + "' is not one of " +
                     JoinForMessage(Divisions()));
    division = *canon;
  }
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  const BusinessCalendar& cal = cfg->calendar;
  const Timestamp at = SlaMoment(ctx, q);
  People people;
  std::string owner;  // the person asked for, by name or login, as People::Key
  // Stored owner → (People::Key, full name): few people own a million clocks.
  std::unordered_map<std::string, std::pair<std::string, std::string>> seen;
  SlaItems items;
  // Builds an item only for a clock that is kept.
  auto keep = [&](const SlaRule& rule, const std::string& id, const std::string& div,
                  const std::string& who, const SlaClock& clock) {
    auto person = seen.find(who);
    if (person == seen.end())
      person = seen.emplace(who, std::pair(people.Key(who), people.Name(who))).first;
    if (!owner.empty() && person->second.first != owner) return;
    const SlaState state = SlaStateAt(rule, clock, at, cal);
    if (!q.all && state != SlaState::kBreached && state != SlaState::kAtRisk) return;
    SlaItem& item = items.emplace_back();
    item.id = id;
    item.division = Interned(div, Divisions());
    item.owner = person->second.second;
    item.state = state;
    item.kind = Interned(rule.kind, kClockKinds);
    item.started = clock.started;
    item.due = clock.due;
    item.stopped = clock.stopped;
  };
  Status st = ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(people, LoadPeople(tx));
    if (!Trim(q.owner).empty()) owner = people.Key(q.owner);
    // Room for every clock up front: a million items are never copied by a growing vector
    // (pages reserved but not kept stay untouched).
    int64_t expected = 0;
    for (const auto& journey : cfg->journeys.journeys) {
      if (!division.empty() && journey.division != division) continue;
      for (const auto& rule : journey.slas) {
        const bool is_case = rule.kind == "quality-flag";
        if (!is_case && rule.kind != "inquiry" && rule.kind != "lead") continue;
        CX_ASSIGN_OR_RETURN(int64_t n,
                            tx.CountSlaRecords(journey.division, is_case ? rule.kind : "", at));
        expected += n;
      }
    }
    items.reserve(size_t(expected));
    // The opportunities' rules (inquiry, lead) of every journey asked for, by division: one read
    // of the opportunities of all their divisions serves them all (the interactions are grouped
    // once, where each division's read grouped them again).
    std::unordered_map<std::string_view, std::vector<const SlaRule*>> opportunity_rules;
    std::vector<std::string> opportunity_divisions;
    for (const auto& journey : cfg->journeys.journeys) {
      if (!division.empty() && journey.division != division) continue;
      for (const auto& rule : journey.slas) {
        if (rule.kind != "inquiry" && rule.kind != "lead") continue;
        auto& rules = opportunity_rules[journey.division];
        if (rules.empty()) opportunity_divisions.push_back(journey.division);
        rules.push_back(&rule);
      }
    }
    if (!opportunity_divisions.empty()) {
      CX_RETURN_IF_ERROR(
          tx.ForEachSlaOpportunity(opportunity_divisions, at, [&](const SlaOpportunityFacts& f) {
            auto rules = opportunity_rules.find(f.division);
            if (rules == opportunity_rules.end()) return Status::Ok();
            for (const SlaRule* rule : rules->second) {
              SlaClock clock;
              clock.started = f.created;
              clock.due = SlaDue(*rule, f.created, cal);
              clock.stopped = rule->kind == "lead" ? f.first_owner_response : f.first_response;
              keep(*rule, f.id, f.division, f.owner, clock);
            }
            return Status::Ok();
          }));
    }
    for (const auto& journey : cfg->journeys.journeys) {
      if (!division.empty() && journey.division != division) continue;
      for (const auto& rule : journey.slas) {
        if (rule.kind == "quality-flag") {
          CX_RETURN_IF_ERROR(
              tx.ForEachSlaCase(journey.division, rule.kind, at, [&](const SlaCaseFacts& f) {
                SlaClock clock;
                clock.started = f.opened;
                clock.due = SlaDue(rule, f.opened, cal);
                clock.stopped = f.resolution_confirmed;
                keep(rule, f.id, f.division, f.owner, clock);
                return Status::Ok();
              }));
        }
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  // Sorts compact keys rather than the items themselves, then puts each item in its
  // place by following the permutation's cycles (one move per item, no second copy).
  struct Key {
    SlaState state;
    Timestamp due;
    uint32_t index;
  };
  std::vector<Key> keys(items.size());
  for (size_t k = 0; k < items.size(); ++k) keys[k] = {items[k].state, items[k].due, uint32_t(k)};
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.state != b.state) return a.state < b.state;
    if (a.due != b.due) return a.due < b.due;
    return items[a.index].id < items[b.index].id;
  });
  for (size_t start = 0; start < keys.size(); ++start) {
    if (keys[start].index == start) continue;
    SlaItem held = std::move(items[start]);
    size_t at_pos = start;
    while (keys[at_pos].index != start) {
      const size_t from = keys[at_pos].index;
      items[at_pos] = std::move(items[from]);
      keys[at_pos].index = uint32_t(at_pos);
      at_pos = from;
    }
    items[at_pos] = std::move(held);
    keys[at_pos].index = uint32_t(at_pos);
  }
  return items;
}

}  // namespace cx
