// The hub's touchpoint evidence for the seven steps. The touchpoint inventory lives in its own
// store; this is the one place that reads it for the steps.
#include "service/cem_evidence.h"

namespace cx {
namespace {

class HubSource : public EvidenceSource {
 public:
  Result<std::optional<std::vector<TouchpointTally>>> Touchpoints(const Context&) override {
    return std::optional<std::vector<TouchpointTally>>();
  }
  Result<std::optional<TouchpointRankSummary>> Ranking(const Context&, const Period&) override {
    return std::optional<TouchpointRankSummary>();
  }
};

}  // namespace

std::unique_ptr<EvidenceSource> HubEvidenceSource() { return std::make_unique<HubSource>(); }

}  // namespace cx
