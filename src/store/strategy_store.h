// Storage of the customer-strategy programme (docs/strategy.md): strategy versions, the seven
// steps per year, discovery answers, go-live plan progress, feedback on the hub itself, and the
// feedback counts the seven steps' evidence reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/golive.h"
#include "domain/strategy.h"

namespace cx {

// The storage operations of the strategy area; Tx inherits them. Every method returns
// kInternal on a storage failure.
class StrategyStore {
 public:
  virtual ~StrategyStore() = default;

  // Appends a version numbered one above the last (1 for the first); returns its number.
  virtual Result<int64_t> AppendStrategyVersion(Timestamp saved_at, const std::string& saved_by,
                                                const std::string& body) = 0;
  // One version (0: the latest), or nullopt when there is none.
  virtual Result<std::optional<StoredStrategy>> GetStrategyVersion(int64_t version) = 0;
  // Every version, newest first, without their bodies.
  virtual Result<std::vector<StoredStrategy>> ListStrategyVersions() = 0;

  // The steps of `year` that someone set, in step order.
  virtual Result<std::vector<CemStepState>> ListCemSteps(int year) = 0;
  // Inserts or replaces the state of (s.year, s.step).
  virtual Status SaveCemStep(const CemStepState& s) = 0;

  // The stored answers and added questions (DiscoveryQuestion with section and question empty
  // for a shipped one), by id.
  virtual Result<std::vector<DiscoveryQuestion>> ListDiscoveryAnswers() = 0;
  // Inserts or replaces the row of q.id; `added` marks a question created in the hub.
  virtual Status SaveDiscoveryAnswer(const DiscoveryQuestion& q, bool added) = 0;

  // The stored progress of plan tasks (number, status, note, updated_*), by number.
  virtual Result<std::vector<PlanTask>> ListPlanProgress() = 0;
  // Inserts or replaces the progress of t.number.
  virtual Status SavePlanProgress(const PlanTask& t) = 0;

  // Inserts feedback on the hub (kind "hub") with the user who gave it. Errors: kConflict when
  // the id exists.
  virtual Status InsertHubFeedback(const HubFeedback& f) = 0;
  // Feedback on the hub dated in [from, to), newest first, at most `limit`.
  virtual Result<std::vector<HubFeedback>> ListHubFeedback(Timestamp from, Timestamp to,
                                                           int limit) = 0;

  // Feedback rows dated in [from, to) counted by kind (hub feedback left out); with
  // `by_division_stage`, by kind, division and stage.
  virtual Result<std::vector<FeedbackTally>> CountFeedback(Timestamp from, Timestamp to,
                                                           bool by_division_stage) = 0;
};

}  // namespace cx
