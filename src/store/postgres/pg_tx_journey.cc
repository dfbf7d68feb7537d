// PostgreSQL Tx: journeys (journey_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Status PgTx::AddChecklistAnswer(const ChecklistAnswer&) {
  return Internal("journeys: AddChecklistAnswer is not implemented on PostgreSQL yet");
}

Result<std::vector<ChecklistAnswer>> PgTx::ChecklistAnswers(const std::string&) {
  return Internal("journeys: ChecklistAnswers is not implemented on PostgreSQL yet");
}

Result<int64_t> PgTx::InsertJourneyAction(const JourneyAction&) {
  return Internal("journeys: InsertJourneyAction is not implemented on PostgreSQL yet");
}

Result<std::optional<JourneyAction>> PgTx::GetJourneyAction(int64_t) {
  return Internal("journeys: GetJourneyAction is not implemented on PostgreSQL yet");
}

Status PgTx::SetJourneyActionDone(int64_t, bool) {
  return Internal("journeys: SetJourneyActionDone is not implemented on PostgreSQL yet");
}

Result<std::vector<JourneyAction>> PgTx::ListJourneyActions(const std::string&, const std::string&,
                                                            bool) {
  return Internal("journeys: ListJourneyActions is not implemented on PostgreSQL yet");
}

Status PgTx::ForEachSlaOpportunity(const std::string&, Timestamp,
                                   const std::function<Status(const SlaOpportunityFacts&)>&) {
  return Internal("journeys: ForEachSlaOpportunity is not implemented on PostgreSQL yet");
}

Status PgTx::ForEachSlaCase(const std::string&, const std::string&, Timestamp,
                            const std::function<Status(const SlaCaseFacts&)>&) {
  return Internal("journeys: ForEachSlaCase is not implemented on PostgreSQL yet");
}

Result<int64_t> PgTx::CountSlaRecords(const std::string&, const std::string&, Timestamp) {
  return Internal("journeys: CountSlaRecords is not implemented on PostgreSQL yet");
}

}  // namespace cx
