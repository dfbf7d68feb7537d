// SLA clocks computed from the facts (docs/journeys.md): used by `cxhub sla`, the web page and the
// weekly review.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/big_alloc.h"
#include "domain/sla.h"
#include "service/context.h"

namespace cx {

struct SlaQuery {
  std::string division;         // canonical or any spelling; empty = every division
  std::string owner;            // empty = everyone (compared ignoring case)
  std::optional<Timestamp> at;  // default ctx.now()
  bool all = false;             // false: only breached and at-risk clocks
};

struct SlaItem {
  std::string_view kind;      // inquiry, lead, quality-flag (static storage)
  std::string id;             // opportunity or case id
  std::string_view division;  // canonical division (static storage, see Divisions())
  std::string owner;
  SlaState state = SlaState::kRunning;
  Timestamp started = 0;
  Timestamp due = 0;
  std::optional<Timestamp> stopped;  // nullopt while running at `at`
};

// Huge pages for a million items (see base/big_alloc.h).
using SlaItems = std::vector<SlaItem, BigAllocator<SlaItem>>;

// Every clock of the configured SLA rules as it stands at `q.at`, worst first
// (breached, then at-risk, running, met; within a state the earliest due first,
// then id). Facts after `at` are ignored: records created/opened after it have
// no clock, and stops after it do not count. Errors: kInvalid for an unknown
// division; kInternal on a database or configuration failure.
Result<SlaItems> ComputeSla(const Context& ctx, const SlaQuery& q);

// The time of `at` used by ComputeSla: q.at or ctx.now().
inline Timestamp SlaMoment(const Context& ctx, const SlaQuery& q) {
  return q.at ? *q.at : ctx.now();
}

}  // namespace cx
