// Where the seven steps read what the hub knows about touchpoints (docs/strategy.md, "Evidence").
// Steps 1 and 4 need the touchpoint inventory and its ranking; the rest of the evidence is read
// from the hub's own tables by service/cem_service.cc.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/kpi.h"
#include "service/context.h"

namespace cx {

// How many touchpoints one division has at one journey stage.
struct TouchpointTally {
  std::string division, stage;
  int64_t touchpoints = 0;
};

// The outcome of ranking the budgeted touchpoints for a period (docs/feedback.md).
struct TouchpointRankSummary {
  int64_t budgeted = 0;                         // touchpoints with a yearly budget above 0
  int64_t ranked = 0;                           // touchpoints ranked
  std::vector<std::string> invest, cut_or_fix;  // ids with those verdicts
};

// The touchpoint facts the seven steps show. Reads only.
class EvidenceSource {
 public:
  virtual ~EvidenceSource() = default;
  // The touchpoints per division and stage; nullopt when the hub keeps no touchpoints.
  virtual Result<std::optional<std::vector<TouchpointTally>>> Touchpoints(const Context& ctx) = 0;
  // The ranking of the budgeted touchpoints over `period`; nullopt when the hub keeps none.
  virtual Result<std::optional<TouchpointRankSummary>> Ranking(const Context& ctx,
                                                               const Period& period) = 0;
};

// The hub's own source (service/cem_evidence.cc): nullopt for both while the hub keeps no
// touchpoints, which the steps show as "no touchpoints recorded".
std::unique_ptr<EvidenceSource> HubEvidenceSource();

}  // namespace cx
