// PostgreSQL Tx: strategy (strategy_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Result<int64_t> PgTx::AppendStrategyVersion(Timestamp, const std::string&, const std::string&) {
  return Internal("strategy: AppendStrategyVersion is not implemented on PostgreSQL yet");
}

Result<std::optional<StoredStrategy>> PgTx::GetStrategyVersion(int64_t) {
  return Internal("strategy: GetStrategyVersion is not implemented on PostgreSQL yet");
}

Result<std::vector<StoredStrategy>> PgTx::ListStrategyVersions() {
  return Internal("strategy: ListStrategyVersions is not implemented on PostgreSQL yet");
}

Result<std::vector<CemStepState>> PgTx::ListCemSteps(int) {
  return Internal("strategy: ListCemSteps is not implemented on PostgreSQL yet");
}

Status PgTx::SaveCemStep(const CemStepState&) {
  return Internal("strategy: SaveCemStep is not implemented on PostgreSQL yet");
}

Result<std::vector<DiscoveryQuestion>> PgTx::ListDiscoveryAnswers() {
  return Internal("strategy: ListDiscoveryAnswers is not implemented on PostgreSQL yet");
}

Status PgTx::SaveDiscoveryAnswer(const DiscoveryQuestion&, bool) {
  return Internal("strategy: SaveDiscoveryAnswer is not implemented on PostgreSQL yet");
}

Result<std::vector<PlanTask>> PgTx::ListPlanProgress() {
  return Internal("strategy: ListPlanProgress is not implemented on PostgreSQL yet");
}

Status PgTx::SavePlanProgress(const PlanTask&) {
  return Internal("strategy: SavePlanProgress is not implemented on PostgreSQL yet");
}

Status PgTx::InsertHubFeedback(const HubFeedback&) {
  return Internal("strategy: InsertHubFeedback is not implemented on PostgreSQL yet");
}

Result<std::vector<HubFeedback>> PgTx::ListHubFeedback(Timestamp, Timestamp, int) {
  return Internal("strategy: ListHubFeedback is not implemented on PostgreSQL yet");
}

Result<std::vector<FeedbackTally>> PgTx::CountFeedback(Timestamp, Timestamp, bool) {
  return Internal("strategy: CountFeedback is not implemented on PostgreSQL yet");
}

}  // namespace cx
