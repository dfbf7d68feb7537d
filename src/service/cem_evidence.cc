// The hub's touchpoint evidence for the seven steps: the inventory from the touchpoint store,
// the ranking from the feedback measures (service/feedback_report.h). The one place that reads
// them for the steps.
#include "service/cem_evidence.h"

#include <map>
#include <utility>

#include "service/feedback_report.h"

namespace cx {
namespace {

class HubSource : public EvidenceSource {
 public:
  Result<std::optional<std::vector<TouchpointTally>>> Touchpoints(const Context& ctx) override {
    std::vector<Touchpoint> all;
    CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(all, tx.ListTouchpoints(""));
      return Status::Ok();
    }));
    if (all.empty()) return std::optional<std::vector<TouchpointTally>>();
    std::map<std::pair<std::string, std::string>, int64_t> counts;
    for (const auto& t : all) ++counts[{t.division, t.stage}];
    std::vector<TouchpointTally> out;
    for (const auto& [key, n] : counts) out.push_back(TouchpointTally{key.first, key.second, n});
    return std::optional<std::vector<TouchpointTally>>(std::move(out));
  }

  Result<std::optional<TouchpointRankSummary>> Ranking(const Context& ctx,
                                                       const Period& period) override {
    CX_ASSIGN_OR_RETURN(TouchpointRanking r, ComputeTouchpointRanking(ctx, period, ""));
    if (r.touchpoints.empty()) return std::optional<TouchpointRankSummary>();
    TouchpointRankSummary s;
    s.ranked = int64_t(r.touchpoints.size());
    for (const auto& t : r.touchpoints) {
      if (t.yearly_budget > 0) ++s.budgeted;
      if (t.verdict == "invest") s.invest.push_back(t.id);
      if (t.verdict == "cut-or-fix") s.cut_or_fix.push_back(t.id);
    }
    return std::optional<TouchpointRankSummary>(std::move(s));
  }
};

}  // namespace

std::unique_ptr<EvidenceSource> HubEvidenceSource() { return std::make_unique<HubSource>(); }

}  // namespace cx
