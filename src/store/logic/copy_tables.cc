// Which tables a copy of a hub carries, and their order.
#include "store/logic/copy_tables.h"

#include <algorithm>
#include <set>

namespace cx {

namespace {

// Derived from the other tables and rebuilt on the target: the KPI aggregates (0008, 0009,
// 0011) and the duplicate index (0010), each with its change list and state.
constexpr std::string_view kDerived[] = {"kpi_activity",       "kpi_activity_firsts",
                                         "kpi_activity_dirty", "kpi_customer_dirty",
                                         "kpi_activity_state", "kpi_stage_first",
                                         "kpi_funnel",         "kpi_funnel_dirty",
                                         "kpi_funnel_state",   "dup_records",
                                         "dup_blocks",         "dup_pairs",
                                         "dup_dirty",          "dup_state"};
// The rows of running servers and loads: meaningless on another database.
constexpr std::string_view kTransient[] = {"api_sessions", "api_login_failures", "api_idempotency",
                                           "hub_loads"};

}  // namespace

bool CopyLeavesOut(std::string_view table, const std::vector<std::string_view>& backend_own) {
  for (std::string_view t : kDerived)
    if (t == table) return true;
  for (std::string_view t : kTransient)
    if (t == table) return true;
  return std::find(backend_own.begin(), backend_own.end(), table) != backend_own.end();
}

std::vector<CopyTable> InDependencyOrder(std::vector<CopyTable> tables) {
  std::sort(tables.begin(), tables.end(),
            [](const CopyTable& a, const CopyTable& b) { return a.name < b.name; });
  std::set<std::string> known;
  for (const auto& t : tables) known.insert(t.name);
  std::vector<CopyTable> out;
  std::set<std::string> placed;
  std::vector<bool> done(tables.size(), false);
  while (out.size() < tables.size()) {
    bool progressed = false;
    for (size_t i = 0; i < tables.size(); ++i) {
      if (done[i]) continue;
      bool ready = true;
      for (const auto& r : tables[i].references)
        if (r != tables[i].name && known.count(r) && !placed.count(r)) ready = false;
      if (!ready) continue;
      placed.insert(tables[i].name);
      out.push_back(tables[i]);
      done[i] = true;
      progressed = true;
      break;  // from the start again: name order among the ready ones
    }
    if (!progressed) {
      // A cycle: the first remaining table by name goes next.
      for (size_t i = 0; i < tables.size(); ++i) {
        if (done[i]) continue;
        placed.insert(tables[i].name);
        out.push_back(tables[i]);
        done[i] = true;
        break;
      }
    }
  }
  return out;
}

}  // namespace cx
